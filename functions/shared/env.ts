import { z } from 'zod';
import { parseInput } from './errors.ts';
import { SiteId } from './site-id.ts';

/**
 * The functions' environment, validated once per module. Each handler reads only the groups it
 * needs, so a missing variable fails at cold start with its name, not deep inside a request.
 */
const Url = z.url();

export const StoreEnv = z.object({
  TABLE_NAME: z.string().min(3).max(255),
  TELEMETRY_TABLE_NAME: z.string().min(3).max(255),
  SITE_ID: SiteId,
  /** Local only: DynamoDB Local. */
  DYNAMODB_ENDPOINT: Url.optional(),
});
export type StoreEnv = z.infer<typeof StoreEnv>;

export const IotEnv = z.object({
  /** Local stand-in URL, or an account's data-ATS endpoint; the SDK default applies when absent. */
  IOT_DATA_ENDPOINT: Url.optional(),
});
export type IotEnv = z.infer<typeof IotEnv>;

export const PushQueueEnv = z.object({ PUSH_QUEUE_URL: Url });
export type PushQueueEnv = z.infer<typeof PushQueueEnv>;

/** The Direct PUT delivery stream the archive function puts raw reports to (ADR 0013). */
export const RawArchiveEnv = z.object({
  RAW_REPORT_DELIVERY_STREAM: z.string().regex(/^[a-zA-Z0-9_.-]{1,64}$/, 'a delivery stream name'),
});
export type RawArchiveEnv = z.infer<typeof RawArchiveEnv>;

export const AlarmTopicEnv = z.object({
  ALARM_TOPIC_ARN: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, 'an SNS topic ARN'),
});
export type AlarmTopicEnv = z.infer<typeof AlarmTopicEnv>;

export const AuthEnv = z.object({
  AUTH_JWKS_URL: Url,
  AUTH_ISSUER: z.string().min(1),
  /** Comma-separated app client ids (the CLI's and the console's): a token for any of them is accepted. */
  AUTH_AUDIENCE: z
    .string()
    .regex(/^[\w-]+(,[\w-]+)*$/, 'comma-separated client ids')
    .transform((s) => s.split(','))
    .optional(),
});
export type AuthEnv = z.infer<typeof AuthEnv>;

/** The value CloudFront sends the API on AWS (ADR 0019): required there, so a stack without it fails loudly. */
export const OriginEnv = z.object({ ORIGIN_SECRET: z.string().min(32, 'at least 32 characters') });

export function readEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  return parseInput(schema, env, 'environment');
}
