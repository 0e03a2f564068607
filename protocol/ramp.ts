/**
 * How long the change from `from` to `to` ramps, given the fade in force and the seconds until the
 * next change: only between two lit levels (switching on and off is immediate), and never past the
 * next change, so every level change is reached exactly at its instant or before the next.
 * Its own module, free of node:crypto, so the scheduling core that uses it runs in the browser.
 */
export function rampSeconds(from: number, to: number, fadeSeconds: number, secondsToNext: number): number {
  return from > 0 && to > 0 && from !== to ? Math.max(0, Math.min(fadeSeconds, secondsToNext)) : 0;
}
