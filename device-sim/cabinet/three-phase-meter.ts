/** The three phases of a cabinet's supply. */
export type Phase = 0 | 1 | 2;

/** A phase's and the cabinet's cumulative active energy, Wh, as the utility meter counts it. */
export interface ThreePhaseReading {
  readonly phasesWh: readonly [number, number, number];
  readonly totalWh: number;
}

/**
 * The utility meter of a cabinet: three cumulative phase registers fed by the luminaires wired on
 * each phase (electricians spread a circuit's luminaires over the phases in turn, `phaseOf`), plus
 * the cables' loss, a fixed share of what the luminaires draw. Cumulative and never reset, like a
 * real index: a reading sent twice is the same reading, so a retry cannot count energy twice.
 */
export class ThreePhaseMeter {
  private readonly phases: [number, number, number] = [0, 0, 0];

  constructor(private readonly lineLossPercent: number) {
    if (!(lineLossPercent >= 0 && lineLossPercent <= 20)) {
      throw new RangeError(`lineLossPercent must be 0..20, got ${lineLossPercent}`);
    }
  }

  /** Counts `wh` drawn by a luminaire on `phase`, with the line loss it causes. */
  add(phase: Phase, wh: number): void {
    if (!(wh >= 0)) throw new RangeError(`energy must be >= 0 Wh, got ${wh}`);
    this.phases[phase] += wh * (1 + this.lineLossPercent / 100);
  }

  reading(): ThreePhaseReading {
    const [a, b, c] = this.phases;
    return { phasesWh: [a, b, c], totalWh: a + b + c };
  }
}

/** The phase of the `index`-th luminaire of a circuit: wired over the phases in turn. */
export const phaseOf = (index: number): Phase => (index % 3) as Phase;
