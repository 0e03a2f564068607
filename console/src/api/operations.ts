import { z } from 'zod';

/** An open alarm as `GET /alarms` answers it (docs/api.md). */
export const Alarm = z.object({
  luminaireId: z.string(),
  kind: z.string(),
  zone: z.string(),
  street: z.string(),
  openedAt: z.string(),
  detail: z.string().optional(),
  acknowledgedBy: z.string().optional(),
  acknowledgedAt: z.string().optional(),
  /** A resident's e-mail on a citizen report, erased when a technician closes it. */
  contactEmail: z.string().optional(),
  /** Where the resident placed the report, erased with the e-mail. */
  reporterPoint: z.object({ lat: z.number(), lon: z.number() }).optional(),
});
export type Alarm = z.infer<typeof Alarm>;

export const AlarmList = z.object({ items: z.array(Alarm) });

export const Acknowledgement = z.object({
  luminaireId: z.string(),
  kind: z.string(),
  acknowledgedBy: z.string(),
  acknowledgedAt: z.string(),
});

/** One change of the audit log: `before` and `after` are whatever the change stored. */
export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** A page of `GET /audit`, newest first; `next` is the cursor of the older entries. */
export const AuditPage = z.object({
  from: z.string(),
  to: z.string(),
  items: z.array(AuditEntry),
  next: z.string().optional(),
});
export type AuditPage = z.infer<typeof AuditPage>;
