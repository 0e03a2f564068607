import { describe, expect, it } from 'vitest';
import { PUBLIC_INVENTORY_SECONDS, publicInventory } from '#functions/api/public/inventory.ts';
import type { Luminaire } from '#schedules/index.ts';
import { cabinet, luminaire } from '#tests/support/schedules/fixtures.ts';

function site() {
  const state = {
    now: 1_000,
    inventory: [
      luminaire({ cabinet: 'CAB-1', controller: 'none' }),
      luminaire({ cabinet: 'CAB-1' }),
    ] as Luminaire[],
    reads: 0,
  };
  const inventory = publicInventory(
    {
      luminaires: {
        listAll: async () => {
          state.reads++;
          return [...state.inventory];
        },
      },
      cabinets: { listAll: async () => [cabinet('connected')] },
    },
    () => state.now,
  );
  return { state, inventory };
}

describe('publicInventory circuits', () => {
  it('are built once while the inventory they come from is held', async () => {
    const { state, inventory } = site();
    const first = await inventory.circuits();
    const again = await Promise.all([inventory.circuits(), inventory.circuits()]);
    for (const circuits of again) expect(circuits).toBe(first);
    expect(state.reads).toBe(1);
  });

  it('are rebuilt from the inventory read again once it expires', async () => {
    const { state, inventory } = site();
    const before = await inventory.circuits();
    expect(before.nodeLess.map((l) => l.id)).toEqual([state.inventory[0]?.id]);
    const added = luminaire({ cabinet: 'CAB-1', controller: 'none' });
    state.inventory = [...state.inventory, added];
    state.now += PUBLIC_INVENTORY_SECONDS;
    const after = await inventory.circuits();
    expect(after).not.toBe(before);
    expect(after.nodeLess.map((l) => l.id)).toEqual([state.inventory[0]?.id, added.id]);
    expect(state.reads).toBe(2);
  });
});
