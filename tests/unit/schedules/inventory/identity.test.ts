import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thingNameClashes } from '#schedules/inventory/index.ts';
import { testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { inventory } from './arbitraries.ts';

const [a, b] = testLuminaires(2);
if (a === undefined || b === undefined) throw new Error('fixture');

describe('thingNameClashes', () => {
  it("names an imported luminaire on another stored luminaire's device, with that luminaire", () => {
    const intruder = { ...a, id: 'N-1', zone: 'cite' };
    expect(thingNameClashes([intruder], [a])).toEqual([{ luminaire: intruder, holder: a }]);
  });

  it('lets a luminaire be imported again on its own device', () => {
    expect(thingNameClashes([{ ...a, street: 'Rue Neuve' }], [a])).toEqual([]);
  });

  it('frees the device of a stored luminaire the import moves to another device', () => {
    const moved = { ...a, thingName: 'dev-new' };
    const successor = { ...b, thingName: a.thingName };
    expect(thingNameClashes([moved, successor], [a, b])).toEqual([]);
  });

  it('leaves every device to one luminaire: after an import without clashes, thing names are unique', () => {
    // Imports that move stored devices around, between stored and new ids.
    const storedAndImported = inventory.chain((stored) =>
      fc.shuffledSubarray(stored).chain((picked) =>
        fc
          .tuple(
            fc.shuffledSubarray(
              stored.map((l) => l.thingName),
              { minLength: picked.length, maxLength: picked.length },
            ),
            fc.array(fc.boolean(), { minLength: picked.length, maxLength: picked.length }),
          )
          .map(([things, fresh]) => ({
            stored,
            imported: picked.map((l, i) => ({
              ...l,
              id: fresh[i] ? `new-${i}` : l.id,
              thingName: things[i] ?? l.thingName,
            })),
          })),
      ),
    );
    fc.assert(
      fc.property(storedAndImported, ({ stored, imported }) => {
        fc.pre(new Set(imported.map((l) => l.id)).size === imported.length);
        if (thingNameClashes(imported, stored).length > 0) return;
        const after = new Map(stored.map((l) => [l.id, l]));
        for (const l of imported) after.set(l.id, l);
        const things = [...after.values()].map((l) => l.thingName);
        expect(new Set(things).size).toBe(things.length);
      }),
    );
  });
});
