import type { Config } from '#schedules/index.ts';
import { testConfig } from '../shared/fixtures.ts';

/**
 * A site with two rules: `residential` everywhere (70 % from 22:30), and `cite` (full light all
 * night) in zone cite, which wins there. With `testLuminaires` (zones alternate bastide, cite) a
 * change to one profile reaches one half of the luminaires' plans.
 */
export function twoRuleConfig(): Config {
  return testConfig({
    profiles: {
      residential: {
        on: { event: 'sunset', offsetMinutes: 10 },
        off: { event: 'sunrise', offsetMinutes: -10 },
        steps: [{ at: '22:30', level: 70 }],
      },
      cite: { on: { event: 'sunset' }, off: { event: 'sunrise' } },
    },
    calendar: [
      { id: 'default', profile: 'residential' },
      { id: 'cite', profile: 'cite', zones: ['cite'], priority: 10 },
    ],
  });
}
