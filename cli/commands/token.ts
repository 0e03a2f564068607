import { z } from 'zod';
import { loadOrCreateSigningKey, signToken } from '#functions/auth/local-issuer.ts';
import { Role } from '#protocol/principal.ts';
import { defineCommand } from '../args.ts';

const USAGE = `usage: lighting token --role technician|finance|admin [--role ...] [--zones a,b] [--subject NAME]
                     [--data-dir data] [--ttl 8h]

Prints a bearer token from the local issuer (key pair in <data-dir>/auth/), with the claims a Cognito
ID token carries. The local API (npm start) verifies it against the same key set.`;

const Flags = z.strictObject({
  role: z.array(Role).min(1, 'at least one --role is required'),
  zones: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((zone) => zone.trim())
        .filter((zone) => zone.length > 0),
    ),
  subject: z.string().min(1).default('local-user'),
  'data-dir': z.string().min(1).default('data'),
  ttl: z
    .string()
    .regex(/^\d+\s*(s|m|h|d)$/, 'expected a duration like 30m, 8h or 2d')
    .default('8h'),
});

export const command = defineCommand({
  name: 'token',
  summary: 'print a local bearer token for a role (and optional zone limit)',
  usage: USAGE,
  options: {
    role: { type: 'string', multiple: true },
    zones: { type: 'string' },
    subject: { type: 'string' },
    'data-dir': { type: 'string' },
    ttl: { type: 'string' },
  },
  flags: Flags,
  async run(flags) {
    const { role, zones, subject, ttl } = flags;
    const key = await loadOrCreateSigningKey(flags['data-dir']);
    process.stdout.write(`${await signToken(key, { subject, roles: role, zones, ttl })}\n`);
    return 0;
  },
});
