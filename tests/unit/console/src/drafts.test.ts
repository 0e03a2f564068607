import { describe, expect, it } from 'vitest';
import { type DraftStorage, DraftStore, restoredDraft } from '#console/src/drafts.ts';

function memoryStorage(): DraftStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

describe('form drafts across a sign-in redirect', () => {
  it('gives each form back the draft it had when the page left, once', () => {
    const storage = memoryStorage();
    const before = new DraftStore(storage);
    let level = '40';
    before.register('override', () => ({ level, reason: 'marché de Noël' }));
    before.register('profile:soir', () => ({ onLevel: '80' }));
    level = '35';
    before.stash();

    // The page loads again after the sign-in: a new store over the same tab storage.
    const after = new DraftStore(storage);
    expect(after.take('override')).toEqual({ level: '35', reason: 'marché de Noël' });
    expect(after.take('override')).toBeUndefined();
    expect(after.take('profile:soir')).toEqual({ onLevel: '80' });
    expect(storage.items.size).toBe(0);
  });

  it('stashes nothing of a form no longer on the page', () => {
    const storage = memoryStorage();
    const store = new DraftStore(storage);
    const unregister = store.register('override', () => ({ level: '40' }));
    unregister();
    store.stash();
    expect(new DraftStore(storage).take('override')).toBeUndefined();
  });

  it('takes damaged or foreign storage for no draft', () => {
    const storage = memoryStorage();
    storage.setItem('lumen-city.drafts', '{not json');
    expect(new DraftStore(storage).take('override')).toBeUndefined();
    storage.setItem('lumen-city.drafts', '[1,2]');
    expect(new DraftStore(storage).take('override')).toBeUndefined();
  });

  it('lays a stashed draft over a fresh one, and ignores one that is not an object', () => {
    const fresh = { level: '50', reason: '', zone: 'cite' };
    expect(restoredDraft(fresh, { level: '30', reason: 'travaux' })).toEqual({
      level: '30',
      reason: 'travaux',
      zone: 'cite',
    });
    expect(restoredDraft(fresh, 'x')).toBe(fresh);
    expect(restoredDraft(fresh, undefined)).toBe(fresh);
  });
});
