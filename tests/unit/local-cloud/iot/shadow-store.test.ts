import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseUpdateRequest, type UpdateRequest } from '#local-cloud/iot/shadow-document.ts';
import { DELETED_VERSION_MEMORY_SECONDS, ShadowDocumentStore } from '#local-cloud/iot/shadow-store.ts';

const request = (value: unknown): UpdateRequest => {
  const parsed = parseUpdateRequest(Buffer.from(JSON.stringify(value)));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};

function storeAt(startSeconds: number) {
  let nowMs = startSeconds * 1000;
  const store = new ShadowDocumentStore({ clock: () => nowMs });
  return { store, advance: (seconds: number) => (nowMs += seconds * 1000) };
}

const lamp = { thingName: 'L-0001' };
const plan = { thingName: 'L-0001', shadowName: 'plan' };

describe('ShadowDocumentStore', () => {
  it('creates a shadow at version 1 and stamps it with the clock in epoch seconds', () => {
    const { store } = storeAt(1_700_000_000);
    const outcome = store.update(lamp, request({ state: { desired: { level: 70 } } }));
    expect(outcome).toMatchObject({ ok: true, value: { current: { version: 1, timestamp: 1_700_000_000 } } });
    expect(outcome.ok && outcome.value.previous).toBeUndefined();
  });

  it('answers the Guide optimistic-locking example: version 9 on a version-10 shadow is a conflict', () => {
    const { store } = storeAt(1000);
    for (let i = 0; i < 10; i++)
      store.update(lamp, request({ state: { desired: { colors: ['RED', 'GREEN', 'BLUE'] } } }));
    const stale = store.update(
      lamp,
      request({ state: { desired: { colors: ['BLUE'] } }, version: 9, clientToken: 't' }),
    );
    expect(stale).toEqual({ ok: false, error: { code: 409, message: 'Version conflict', clientToken: 't' } });
    const current = store.update(lamp, request({ state: { desired: { colors: ['BLUE'] } }, version: 10 }));
    expect(current.ok && current.value.current).toMatchObject({
      state: { desired: { colors: ['BLUE'] } },
      version: 11,
    });
  });

  it('refuses an update whose resulting state exceeds 8 KB and keeps the stored document', () => {
    const { store } = storeAt(1000);
    store.update(lamp, request({ state: { desired: { a: 'x'.repeat(5000) } } }));
    const tooBig = store.update(lamp, request({ state: { reported: { b: 'y'.repeat(4000) } } }));
    expect(tooBig).toEqual({
      ok: false,
      error: { code: 413, message: 'The payload exceeds the maximum size allowed' },
    });
    expect(store.document(lamp)?.version).toBe(1);
    expect(store.document(lamp)?.state.reported).toBeUndefined();
  });

  it('does not count metadata towards the 8 KB limit', () => {
    const { store } = storeAt(1000);
    const many = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`k${i}`, 1]));
    expect(store.update(lamp, request({ state: { desired: many } })).ok).toBe(true);
  });

  it('returns 404 with the shadow name for a shadow that does not exist', () => {
    const { store } = storeAt(1000);
    expect(store.get(plan)).toEqual({
      ok: false,
      error: { code: 404, message: "No shadow exists with name: 'plan'" },
    });
    expect(store.delete(lamp, 'tok')).toEqual({
      ok: false,
      error: { code: 404, message: "No shadow exists with name: 'L-0001'", clientToken: 'tok' },
    });
  });

  it('deletes a shadow, answering its version, and continues that version for 48 hours', () => {
    const { store, advance } = storeAt(1000);
    store.update(plan, request({ state: { desired: { level: 1 } } }));
    store.update(plan, request({ state: { desired: { level: 2 } } }));
    expect(store.delete(plan)).toEqual({ ok: true, value: { version: 2, timestamp: 1000 } });
    expect(store.get(plan).ok).toBe(false);
    advance(DELETED_VERSION_MEMORY_SECONDS - 1);
    const recreated = store.update(plan, request({ state: { desired: { level: 3 } } }));
    expect(recreated.ok && recreated.value.current).toMatchObject({
      version: 3,
      state: { desired: { level: 3 } },
    });
  });

  it('starts a shadow deleted more than 48 hours ago over from version 0', () => {
    const { store, advance } = storeAt(1000);
    store.update(plan, request({ state: { desired: { level: 1 } } }));
    store.update(plan, request({ state: { desired: { level: 2 } } }));
    store.delete(plan);
    advance(DELETED_VERSION_MEMORY_SECONDS);
    expect(store.update(plan, request({ state: {}, version: 2 })).ok).toBe(false);
    const fresh = store.update(plan, request({ state: { desired: { level: 3 } }, version: 0 }));
    expect(fresh.ok && fresh.value.current.version).toBe(1);
  });

  it('lists only existing named shadows, sorted, without the classic one', () => {
    const { store } = storeAt(1000);
    for (const shadowName of ['plan', 'boost', 'diag'])
      store.update({ thingName: 'L-1', shadowName }, request({ state: {} }));
    store.update({ thingName: 'L-1' }, request({ state: {} }));
    store.delete({ thingName: 'L-1', shadowName: 'diag' });
    expect(store.namedShadows('L-1')).toEqual(['boost', 'plan']);
    expect(store.namedShadows('L-2')).toEqual([]);
  });

  it('round-trips through its snapshot, deleted versions included', () => {
    const { store } = storeAt(1000);
    store.update(plan, request({ state: { desired: { level: 1 } } }));
    store.update(lamp, request({ state: { reported: { level: 1 } } }));
    store.delete(lamp);
    const restored = new ShadowDocumentStore({
      clock: () => 1_001_000,
      initial: structuredClone(store.snapshot()),
    });
    expect(restored.document(plan)).toEqual(store.document(plan));
    const recreated = restored.update(lamp, request({ state: {} }));
    expect(recreated.ok && recreated.value.current.version).toBe(2);
  });

  it('tells its owner about every change', () => {
    let changes = 0;
    const store = new ShadowDocumentStore({ onChange: () => changes++ });
    store.update(lamp, request({ state: {} }));
    store.get(lamp);
    store.update(lamp, request({ state: {}, version: 7 }));
    store.delete(lamp);
    expect(changes).toBe(2);
  });
});

describe('ShadowDocumentStore versions, against a model of the Guide rules', () => {
  type Op =
    | { kind: 'update'; version: 'none' | 'current' | 'stale' }
    | { kind: 'delete' }
    | { kind: 'wait'; hours: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constant('update' as const),
      version: fc.constantFrom('none', 'current', 'stale') as fc.Arbitrary<'none' | 'current' | 'stale'>,
    }),
    fc.record({ kind: fc.constant('delete' as const) }),
    fc.record({ kind: fc.constant('wait' as const), hours: fc.integer({ min: 1, max: 60 }) }),
  );

  it('accepts exactly the updates whose version matches and numbers documents as the Guide says', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const { store, advance } = storeAt(1_000_000);
        let now = 1_000_000;
        const model = { exists: false, version: 0, deletedAt: Number.NEGATIVE_INFINITY };
        const base = () =>
          model.exists || now - model.deletedAt < DELETED_VERSION_MEMORY_SECONDS ? model.version : 0;
        for (const step of ops) {
          if (step.kind === 'wait') {
            advance(step.hours * 3600);
            now += step.hours * 3600;
          } else if (step.kind === 'delete') {
            expect(store.delete(lamp).ok).toBe(model.exists);
            if (model.exists) Object.assign(model, { exists: false, deletedAt: now });
          } else {
            const expected = base();
            const version =
              step.version === 'none'
                ? {}
                : { version: step.version === 'current' ? expected : expected + 1 };
            const outcome = store.update(lamp, request({ state: { desired: { n: 1 } }, ...version }));
            expect(outcome.ok).toBe(step.version !== 'stale');
            if (outcome.ok) {
              expect(outcome.value.current.version).toBe(expected + 1);
              Object.assign(model, { exists: true, version: expected + 1 });
            }
          }
          expect(store.document(lamp)?.version).toBe(model.exists ? model.version : undefined);
        }
      }),
    );
  });
});
