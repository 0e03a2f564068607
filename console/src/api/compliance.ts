import { z } from 'zod';

/** A rule's counts in `GET /compliance` (docs/api.md). */
export const RuleTally = z.object({
  id: z.string(),
  article: z.string(),
  summary: z.string(),
  verified: z.boolean(),
  broken: z.number(),
  notCheckable: z.number(),
  compliant: z.number(),
  notApplicable: z.number(),
});
export type RuleTally = z.infer<typeof RuleTally>;

export const ComplianceFinding = z.object({
  rule: z.string(),
  article: z.string(),
  status: z.enum(['broken', 'not-checkable']),
  zone: z.string(),
  luminaire: z.string().optional(),
  detail: z.string(),
  change: z.string().optional(),
  missing: z.array(z.string()).optional(),
  values: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type ComplianceFinding = z.infer<typeof ComplianceFinding>;

export const ComplianceReport = z.object({
  night: z.string(),
  rules: z.array(RuleTally),
  findings: z.array(ComplianceFinding),
});
export type ComplianceReport = z.infer<typeof ComplianceReport>;
