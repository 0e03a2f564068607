import { describe, expect, it } from 'vitest';
import { LIVE_STATES } from '#protocol/live-state.ts';
import { LiveStatePage } from '#protocol/live-state-page.ts';
import { twoLuminaires } from '#tests/support/protocol/live-state.ts';

describe('live-state page in JSON', () => {
  it('refuses a page whose column holds an entry out of its bounds, naming the column', () => {
    const page = twoLuminaires;
    expect(LiveStatePage.parse(page)).toEqual(page);
    const bad = (column: string, values: unknown[]) =>
      LiveStatePage.safeParse({ ...page, [column]: values }).error?.issues.map((issue) => issue.path);
    expect(bad('lat', [43.2, 181])).toEqual([['lat']]);
    expect(bad('level', [70, 101])).toEqual([['level']]);
    expect(bad('state', [2, LIVE_STATES.length])).toEqual([['state']]);
    expect(bad('age', [10, -2])).toEqual([['age']]);
    expect(bad('street', [0, 0.5])).toEqual([['street']]);
    expect(bad('zone', [0, '0'])).toEqual([['zone']]);
    expect(bad('lon', 'everywhere' as never)).toEqual([['lon']]);
  });
});
