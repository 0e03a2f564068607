import { describe, expect, it } from 'vitest';
import { DISPLAY_STATES } from '#console/src/pages/map/live-table.ts';
import { circleColourExpression, colourOf, STATE_COLOURS } from '#console/src/pages/map/state-style.ts';

describe('map state colours', () => {
  it('gives every state its own colour, lit ones included', () => {
    const colours = DISPLAY_STATES.map((state) => colourOf(state, 100));
    expect(new Set(colours).size).toBe(DISPLAY_STATES.length);
  });

  it('shades a lit luminaire from pale to deep amber as its level rises', () => {
    expect(colourOf('lit', 0)).toBe('#ffec99');
    expect(colourOf('lit', 100)).toBe('#e69100');
    const green = (colour: string) => Number.parseInt(colour.slice(3, 5), 16);
    expect(green(colourOf('lit', 30))).toBeGreaterThan(green(colourOf('lit', 70)));
    expect(colourOf('lit', 250)).toBe(colourOf('lit', 100));
  });

  it('does not shade the other states by level', () => {
    expect(colourOf('alarm', 10)).toBe(colourOf('alarm', 90));
    expect(colourOf('off', 0)).toBe(STATE_COLOURS.off);
  });

  it('paints the map with the same colours as the legend', () => {
    const expression = circleColourExpression();
    for (const state of ['off', 'boosted', 'alarm', 'silent', 'unknown'] as const) {
      expect(expression[expression.indexOf(state) + 1]).toBe(STATE_COLOURS[state]);
    }
    expect(JSON.stringify(expression)).toContain(colourOf('lit', 0));
    expect(JSON.stringify(expression)).toContain(colourOf('lit', 100));
  });
});
