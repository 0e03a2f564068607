import type { DisplayState } from './live-table.ts';

/**
 * The map's colours, chosen to be told apart also by people with a red-green deficiency: dark
 * grey (off), amber shading with the level (lit), blue (boosted), red (alarm), violet (not
 * reporting), light grey (unknown). Lit luminaires go from a pale to a deep amber as the level rises.
 */
export const STATE_COLOURS: Readonly<Record<Exclude<DisplayState, 'lit'>, string>> = {
  unknown: '#b8bec6',
  off: '#3b4148',
  boosted: '#1f6fd1',
  alarm: '#d62728',
  silent: '#8e44ad',
};

const LIT_LOW = [255, 236, 153] as const;
const LIT_HIGH = [230, 145, 0] as const;

const hex = (channels: readonly number[]): string =>
  `#${channels.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** The colour of a luminaire in a state; a lit one by its level (1..100). */
export function colourOf(state: DisplayState, level: number): string {
  if (state !== 'lit') return STATE_COLOURS[state];
  const t = Math.min(1, Math.max(0, level / 100));
  return hex(LIT_LOW.map((low, i) => low + ((LIT_HIGH[i] ?? low) - low) * t));
}

/** The same colours as a MapLibre expression over the feature properties `s` (state) and `l` (level). */
export function circleColourExpression(): unknown[] {
  return [
    'match',
    ['get', 's'],
    'lit',
    ['interpolate', ['linear'], ['get', 'l'], 0, hex(LIT_LOW), 100, hex(LIT_HIGH)],
    ...Object.entries(STATE_COLOURS).flat(),
    STATE_COLOURS.unknown,
  ];
}
