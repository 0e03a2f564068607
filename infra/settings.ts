import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Node } from 'constructs';
import { z } from 'zod';
import { SITE_ID_MAX_LENGTH, SiteId } from '#functions/shared/site-id.ts';
import { Config, HHMM } from '#schedules/config/schema.ts';
import { STAGE_PATTERN } from './names.ts';

/** Plan-push chunks handled at once (the queue's maximum concurrency) unless the context says otherwise. */
export const DEFAULT_PUSH_CONCURRENCY = 4;

/** Cognito refuses domain prefixes containing these words. */
const AUTH_DOMAIN_PREFIX = /^(?!.*(aws|amazon|cognito))[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Deployment settings, read from CDK context (`cdk.json` or `-c key=value`). Every value is
 * validated here, once, so a typo fails the synth with a message naming the context key.
 */
const Context = z
  .object({
    stage: z
      .string()
      .transform((s) => s.split(',').map((part) => part.trim()))
      .pipe(
        z
          .array(z.string().regex(STAGE_PATTERN, 'each stage must match [a-z][a-z0-9-]{0,19}'))
          .min(1)
          .refine((stages) => new Set(stages).size === stages.length, 'stages must be distinct'),
      ),
    siteConfig: z.string().min(1, 'path of the site config JSON is required'),
    siteId: SiteId.optional(),
    iotDataEndpoint: z
      .string()
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'expected the IoT data endpoint host name, without https://')
      .optional(),
    alarmEmail: z.email().optional(),
    expectedLuminaires: z.coerce.number().int().positive().optional(),
    telemetryIntervalMinutes: z.coerce.number().int().min(1).max(1440).default(15),
    pushAt: HHMM.default('13:00'),
    pushConcurrency: z.coerce.number().int().min(2).max(1000).default(DEFAULT_PUSH_CONCURRENCY),
    /**
     * Shards of the telemetry stream (ADR 0008): one takes 1,000 records/s; luminaires reporting
     * every 15 minutes, spread over the period (docs/protocol.md), send 222 a second at 200,000.
     */
    telemetryShards: z.coerce.number().int().min(1).max(500).default(1),
    /**
     * The ledger (telemetry) table's provisioned capacity, both or neither: auto scaling's minimum
     * write and read units, scaling at a 70 % target up to 10 × them (ADR 0017). Without them the
     * table is on demand, the choice for a small city. Bounded by DynamoDB's default table quota.
     */
    ledgerWriteCapacity: z.coerce.number().int().min(1).max(40_000).optional(),
    ledgerReadCapacity: z.coerce.number().int().min(1).max(40_000).optional(),
    presenceConcurrency: z.coerce.number().int().min(1).max(1000).default(10),
    logRetentionDays: z.coerce
      .number()
      .refine(
        (d) => [7, 14, 30, 60, 90, 180, 365, 731].includes(d),
        'one of 7, 14, 30, 60, 90, 180, 365, 731',
      )
      .default(30),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    // The console: an optional custom domain (with its ACM certificate, which CloudFront needs in
    // us-east-1), the Cognito sign-in domain prefix, and an optional map style with its attribution.
    consoleDomain: z
      .string()
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'expected a host name, without https://')
      .optional(),
    consoleCertificateArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/,
        'an ACM certificate ARN in us-east-1',
      )
      .optional(),
    authDomainPrefix: z
      .string()
      .regex(
        AUTH_DOMAIN_PREFIX,
        'lower-case letters, digits and hyphens, 1-63, without "aws", "amazon" or "cognito"',
      )
      .optional(),
    /**
     * An existing CloudFront web ACL (us-east-1) for the console's distribution; without it each
     * stage gets its own `<stage>-lighting-edge` stack in us-east-1 (ADR 0019).
     */
    publicWebAclArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/,
        'a WAFv2 web ACL ARN of scope CLOUDFRONT (us-east-1, global/webacl/...)',
      )
      .optional(),
    mapStyleUrl: z.url({ protocol: /^https$/ }).optional(),
    mapAttribution: z.string().max(500).optional(),
  })
  .refine((c) => (c.consoleDomain === undefined) === (c.consoleCertificateArn === undefined), {
    path: ['consoleDomain'],
    message: 'consoleDomain and consoleCertificateArn go together',
  })
  .refine((c) => (c.ledgerWriteCapacity === undefined) === (c.ledgerReadCapacity === undefined), {
    path: ['ledgerWriteCapacity'],
    message: 'ledgerWriteCapacity and ledgerReadCapacity go together',
  });

export interface Settings extends Omit<z.output<typeof Context>, 'stage' | 'siteConfig' | 'siteId'> {
  readonly stages: string[];
  readonly siteId: string;
  readonly site: Config;
}

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid deployment settings:\n${problems.join('\n')}`);
    this.name = 'SettingsError';
  }
}

const slug = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, SITE_ID_MAX_LENGTH);

/**
 * The stage's Cognito sign-in domain prefix (unique in the region): the context's, or one made of
 * the stage and the site id.
 */
export function authDomainPrefix(settings: Settings, stage: string): string {
  if (settings.authDomainPrefix !== undefined) return settings.authDomainPrefix;
  const prefix = `lighting-${stage}-${settings.siteId}`.slice(0, 63).replace(/-+$/, '');
  if (!AUTH_DOMAIN_PREFIX.test(prefix)) {
    throw new SettingsError([
      `context authDomainPrefix: required, "${prefix}" is not a valid Cognito domain prefix`,
    ]);
  }
  return prefix;
}

/** Reads and validates the context keys, then the site config file the `siteConfig` key names. */
export function loadSettings(node: Node, baseDir: string): Settings {
  const raw = Object.fromEntries(Object.keys(Context.shape).map((key) => [key, node.tryGetContext(key)]));
  const parsed = Context.safeParse(raw);
  if (!parsed.success) {
    throw new SettingsError(
      parsed.error.issues.map((issue) => `context ${issue.path.join('.') || '?'}: ${issue.message}`),
    );
  }
  const { stage, siteConfig, siteId, ...rest } = parsed.data;
  const site = readSiteConfig(resolve(baseDir, siteConfig), siteConfig);
  return { ...rest, stages: stage, site, siteId: siteId ?? slug(site.site.name) };
}

function readSiteConfig(path: string, shownAs: string): Config {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SettingsError([`${shownAs}: ${(error as Error).message}`]);
  }
  const result = Config.safeParse(json);
  if (!result.success) {
    throw new SettingsError(
      result.error.issues.map((issue) => `${shownAs}: ${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}
