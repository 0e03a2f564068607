import { z } from 'zod';
import type { CONTROLLER_SHADOW_REPLIES } from '#protocol/topics.ts';

/**
 * The envelopes AWS IoT wraps shadow state in, as the controller receives them on the reserved
 * topics. Only what the controller reads is checked; the state inside is validated separately
 * (protocol/shadows.ts) so a bad plan does not hide a good boost.
 */

const Section = z.record(z.string(), z.unknown());
const Version = z.number().int().min(0);

/** `.../get/accepted`: the whole document. */
export const ShadowDocument = z.object({
  state: z.object({ desired: Section.optional(), reported: Section.optional() }),
  version: Version,
});

/** `.../update/delta`: the desired keys that differ from reported. */
export const ShadowDelta = z.object({ state: Section, version: Version });

/** `.../get/rejected`: 404 when the shadow does not exist. */
export const ShadowRejection = z.object({ code: z.number().int(), message: z.string().optional() });

/** A reply the controller subscribes to. */
export type ShadowReply = (typeof CONTROLLER_SHADOW_REPLIES)[number];

/** One view over the two message kinds that carry state. */
export interface ShadowState {
  readonly version: number;
  readonly desired: Record<string, unknown>;
  readonly reported: Record<string, unknown>;
  /** True when `desired` holds only the keys that differ from reported (a delta). */
  readonly partial: boolean;
}

export type ParsedReply =
  | { readonly ok: true; readonly kind: 'state'; readonly state: ShadowState }
  | { readonly ok: true; readonly kind: 'rejected'; readonly code: number }
  | { readonly ok: false; readonly problem: string };

export function parseShadowReply(reply: ShadowReply, payload: unknown): ParsedReply {
  const fail = (error: z.ZodError): ParsedReply => ({ ok: false, problem: describe(error) });
  switch (reply) {
    case 'get/accepted': {
      const doc = ShadowDocument.safeParse(payload);
      if (!doc.success) return fail(doc.error);
      const { desired = {}, reported = {} } = doc.data.state;
      return {
        ok: true,
        kind: 'state',
        state: { version: doc.data.version, desired, reported, partial: false },
      };
    }
    case 'update/delta': {
      const delta = ShadowDelta.safeParse(payload);
      if (!delta.success) return fail(delta.error);
      const state = { version: delta.data.version, desired: delta.data.state, reported: {}, partial: true };
      return { ok: true, kind: 'state', state };
    }
    case 'get/rejected': {
      const rejection = ShadowRejection.safeParse(payload);
      if (!rejection.success) return fail(rejection.error);
      return { ok: true, kind: 'rejected', code: rejection.data.code };
    }
  }
}

/** "path: message" for each issue, so a log line names the bad field. */
export const describe = (error: z.ZodError): string =>
  error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
