/** A seeded pseudo-random generator (mulberry32), so simulated traffic and faults are reproducible. */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Waiting time to the next event of a Poisson process with `ratePerSecond`. */
export const exponential = (random: Random, ratePerSecond: number): number =>
  -Math.log(1 - random()) / ratePerSecond;
