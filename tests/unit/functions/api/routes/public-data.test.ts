import { describe, expect, it } from 'vitest';
import type { LuminaireStore } from '#functions/store/index.ts';
import { apiHarness } from '../api-harness.ts';

/** The inventory's reads, counted: one per listAll or listZone, whatever it returns. */
function countingReads() {
  const reads: string[] = [];
  const wrap = (store: LuminaireStore): LuminaireStore => ({
    ...store,
    listAll: () => {
      reads.push('all');
      return store.listAll();
    },
    listZone: (zone, street) => {
      reads.push(`zone ${zone}`);
      return store.listZone(zone, street);
    },
  });
  return { reads, wrap };
}

describe('public routes', () => {
  it('read the inventory once per instance for requests within the TTL, whatever the zone or route', async () => {
    const { reads, wrap } = countingReads();
    const api = apiHarness({ luminaires: wrap });
    const answers = [
      await api.call('GET', '/public/schedules', ''),
      await api.call('GET', '/public/schedules?zone=cite', ''),
      await api.call('GET', '/public/eclext.geojson', ''),
      await api.call('GET', '/public/schedules?zone=nowhere', ''),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(reads).toEqual(['all']);
  });

  it('answer a zone from the cached inventory with the zone its store would give', async () => {
    const api = apiHarness();
    const cite = await api.call('GET', '/public/schedules?zone=cite', '');
    const zones = new Set((cite.body as { streets: { zone: string }[] }).streets.map((s) => s.zone));
    expect([...zones]).toEqual(['cite']);
  });
});
