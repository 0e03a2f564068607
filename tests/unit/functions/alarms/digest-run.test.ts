import { describe, expect, it } from 'vitest';
import type { Digest } from '#functions/alarms/digest.ts';
import { DIGEST_EVERY_SECONDS, makeDigestRun } from '#functions/alarms/digest-run.ts';
import type { Alarm, AlarmDigestMark } from '#functions/store/index.ts';

const NOW = Date.parse('2026-06-21T22:00:00Z') / 1000;
const alarm = (luminaireId: string, notifiedAt?: string): Alarm => ({
  luminaireId,
  kind: 'lampFailure',
  zone: 'centre',
  street: 'rue de la Paix',
  state: 'open',
  openedAt: '2026-06-21T21:50:00.000Z',
  ...(notifiedAt === undefined ? {} : { notifiedAt }),
});

function setup(open: Alarm[], lastDigestAt?: string, publish?: () => Promise<void>) {
  const sent: Digest[] = [];
  const marked: { ids: string[]; at: string }[] = [];
  const marks: AlarmDigestMark = {
    lastDigestAt: async () => lastDigestAt,
    markNotified: async (alarms, at) => {
      marked.push({ ids: alarms.map((a) => a.luminaireId), at });
    },
  };
  const run = makeDigestRun({
    site: 'lyon',
    alarms: { listOpen: async () => open },
    marks,
    notifier: {
      publish: async (digest) => {
        await publish?.();
        sent.push(digest);
      },
    },
    now: () => NOW,
  });
  return { run, sent, marked };
}

describe('alarm digest run', () => {
  it('sends one message for every open alarm not yet notified, then marks them', async () => {
    const { run, sent, marked } = setup([
      alarm('L-1'),
      alarm('L-2'),
      alarm('L-3', '2026-06-21T20:00:00.000Z'),
    ]);
    expect(await run()).toEqual({ status: 'sent', alarms: 2 });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toMatch(/^2 nouvelles alarmes : 2 lampes en panne/);
    expect(marked).toEqual([{ ids: ['L-1', 'L-2'], at: '2026-06-21T22:00:00.000Z' }]);
  });

  it('sends at most one digest an hour', async () => {
    const recent = new Date((NOW - DIGEST_EVERY_SECONDS + 60) * 1000).toISOString();
    const { run, sent } = setup([alarm('L-1')], recent);
    expect(await run()).toEqual({ status: 'not-due' });
    expect(sent).toEqual([]);
  });

  it('sends nothing when nothing is new', async () => {
    const { run, sent } = setup([alarm('L-3', '2026-06-21T20:00:00.000Z')]);
    expect(await run()).toEqual({ status: 'nothing-new' });
    expect(sent).toEqual([]);
  });

  it('marks nothing when the publish fails, so the next run sends them', async () => {
    const { run, marked } = setup([alarm('L-1')], undefined, async () => {
      throw new Error('SNS unavailable');
    });
    await expect(run()).rejects.toThrow('SNS unavailable');
    expect(marked).toEqual([]);
  });
});
