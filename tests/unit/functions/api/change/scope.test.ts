import { describe, expect, it } from 'vitest';
import { applyChange } from '#functions/api/change/apply.ts';
import { luminairesReached, reachOfChange, zoneRefusals } from '#functions/api/change/scope.ts';
import type { ConfigChange } from '#functions/store/config-changes.ts';
import type { Principal } from '#protocol/principal.ts';
import { testConfig, testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { memoryLuminaireStore } from '../../shared/memory-stores.ts';

const config = testConfig({
  profiles: { residential: { on: { event: 'sunset' }, off: { event: 'sunrise' } } },
  calendar: [{ id: 'default', profile: 'residential' }],
});
const luminaires = testLuminaires(4); // L-0000 bastide, L-0001 cite, L-0002 bastide, L-0003 cite

function recordingStore() {
  const store = memoryLuminaireStore(luminaires);
  const calls: string[] = [];
  return {
    calls,
    store: {
      ...store,
      listAll() {
        calls.push('listAll');
        return store.listAll();
      },
      listZone(zone: string, street?: string) {
        calls.push(`listZone ${zone}`);
        return store.listZone(zone, street);
      },
      get(ids: readonly string[]) {
        calls.push(`get ${ids.join(',')}`);
        return store.get(ids);
      },
    },
  };
}

async function reach(change: ConfigChange) {
  const { store, calls } = recordingStore();
  const reaches = reachOfChange(config, applyChange(config, change), change);
  return { reaches, reached: (await luminairesReached(reaches, store)).map((l) => l.id), calls };
}

const citeOnly: Principal = { sub: 'c', username: 'c', roles: ['technician'], zones: ['cite'] };

describe('what a change reaches', () => {
  it('reads a zone rule through the zone index only', async () => {
    const { reached, calls } = await reach({
      kind: 'rule.put',
      rule: { id: 'r', profile: 'residential', priority: 5, zones: ['cite'] },
    });
    expect(reached).toEqual(['L-0001', 'L-0003']);
    expect(calls).toEqual(['listZone cite']);
  });

  it('reads named luminaires by id', async () => {
    const { reached, calls } = await reach({
      kind: 'override.put',
      override: {
        id: 'o',
        target: { luminaires: ['L-0002'] },
        level: 100,
        from: '2026-06-21T20:00:00Z',
        until: '2026-06-21T22:00:00Z',
        reason: 'works',
      },
    });
    expect(reached).toEqual(['L-0002']);
    expect(calls).toEqual(['get L-0002']);
  });

  it('reads the whole inventory for a rule selected by street only', async () => {
    const { reached, calls } = await reach({
      kind: 'rule.put',
      rule: { id: 's', profile: 'residential', priority: 5, streets: ['Rue Trivalle'] },
    });
    expect(reached).toHaveLength(4);
    expect(calls).toEqual(['listAll']);
  });

  it('reaches both the old and the new selection of a replaced rule', async () => {
    const withRule = applyChange(config, {
      kind: 'rule.put',
      rule: { id: 'r', profile: 'residential', priority: 5, zones: ['cite'] },
    });
    const change: ConfigChange = {
      kind: 'rule.put',
      rule: { id: 'r', profile: 'residential', priority: 5, zones: ['bastide'] },
    };
    const reaches = reachOfChange(withRule, applyChange(withRule, change), change);
    expect((await luminairesReached(reaches, memoryLuminaireStore(luminaires))).map((l) => l.id)).toEqual([
      'L-0000',
      'L-0001',
      'L-0002',
      'L-0003',
    ]);
  });
});

describe('zone limits', () => {
  it('let a limited technician change what stays in their zones', async () => {
    const { reaches } = await reach({
      kind: 'rule.put',
      rule: { id: 'r', profile: 'residential', priority: 5, zones: ['cite'] },
    });
    expect(
      zoneRefusals(
        citeOnly,
        reaches,
        luminaires.filter((l) => l.zone === 'cite'),
      ),
    ).toEqual([]);
  });

  it('refuse a rule naming another zone even when it selects no luminaire yet', async () => {
    const { reaches } = await reach({
      kind: 'rule.put',
      rule: { id: 'r', profile: 'residential', priority: 5, zones: ['cite', 'pezens'] },
    });
    expect(zoneRefusals(citeOnly, reaches, [])).toEqual(['it reaches zones outside yours: pezens']);
  });

  it('do not apply to admins', async () => {
    const { reaches, reached } = await reach({
      kind: 'profile.put',
      name: 'residential',
      profile: { on: 'sunset' } as never,
    });
    const admin: Principal = { ...citeOnly, roles: ['admin'] };
    expect(
      zoneRefusals(
        admin,
        reaches,
        luminaires.filter((l) => reached.includes(l.id)),
      ),
    ).toEqual([]);
  });
});
