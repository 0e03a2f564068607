import { afterEach, describe, expect, it } from 'vitest';
import {
  clearSelection,
  onSelectionChange,
  select,
  selectedLuminaires,
} from '#console/src/pages/map/selection.ts';

afterEach(clearSelection);

describe('map selection', () => {
  it('adds boxed luminaires, toggles shift-clicked ones, and tells the listeners', () => {
    let changes = 0;
    const stop = onSelectionChange(() => {
      changes += 1;
    });
    select(['A', 'B'], 'add');
    select(['C'], 'add');
    select(['B'], 'toggle');
    expect([...selectedLuminaires()].sort()).toEqual(['A', 'C']);
    select(['Z']);
    expect([...selectedLuminaires()]).toEqual(['Z']);
    stop();
    clearSelection();
    expect(changes).toBe(4);
    expect(selectedLuminaires().size).toBe(0);
  });
});
