import type { AlarmDigestMark, AlarmStore } from '../store/index.ts';
import { buildDigest } from './digest.ts';
import type { Notifier } from './notifier.ts';

/** At most one digest an hour: a person gets a summary, not a message per luminaire. */
export const DIGEST_EVERY_SECONDS = 3600;

export interface DigestDeps {
  readonly site: string;
  readonly alarms: Pick<AlarmStore, 'listOpen'>;
  readonly marks: AlarmDigestMark;
  readonly notifier: Notifier;
  /** Epoch seconds. */
  readonly now: () => number;
}

export type DigestResult =
  | { readonly status: 'sent'; readonly alarms: number }
  | { readonly status: 'nothing-new' | 'not-due' };

/**
 * Sends the open alarms not yet notified, if the last digest is an hour old. An alarm opened and
 * cleared between two digests is not sent: it no longer needs anyone. Marks are written after the
 * publish, so a failed publish is retried by the next run (at worst a digest is sent twice).
 */
export function makeDigestRun(deps: DigestDeps) {
  return async function digest(): Promise<DigestResult> {
    const now = deps.now();
    const last = await deps.marks.lastDigestAt();
    if (last !== undefined && now - Date.parse(last) / 1000 < DIGEST_EVERY_SECONDS)
      return { status: 'not-due' };
    const fresh = (await deps.alarms.listOpen()).filter((alarm) => alarm.notifiedAt === undefined);
    if (fresh.length === 0) return { status: 'nothing-new' };
    await deps.notifier.publish(buildDigest(deps.site, fresh));
    await deps.marks.markNotified(fresh, new Date(now * 1000).toISOString());
    return { status: 'sent', alarms: fresh.length };
  };
}
