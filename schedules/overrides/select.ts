import type { Override } from '../config/schema.ts';
import type { Luminaire } from '../inventory/schema.ts';
import { PlaceCache } from '../place-cache.ts';
import type { NightWindow } from '../time/night.ts';

/** An override as an interval of epoch seconds. */
export interface OverrideSpan {
  readonly id: string;
  readonly from: number;
  readonly until: number;
  readonly level: number;
}

type Placed = Pick<Luminaire, 'id' | 'zone' | 'street'>;

/**
 * Whether an override targets a luminaire: `all`, or every selector given (zones, streets,
 * luminaire ids) matches, like a calendar rule's selectors.
 */
export function overrideTargets(override: Override, luminaire: Placed): boolean {
  const target = override.target;
  if ('all' in target) return true;
  return (
    (target.zones === undefined || target.zones.includes(luminaire.zone)) &&
    (target.streets === undefined || target.streets.includes(luminaire.street)) &&
    (target.luminaires === undefined || target.luminaires.includes(luminaire.id))
  );
}

const NONE: readonly OverrideSpan[] = [];

/** The overrides acting at some instant of a night, with their spans, in config order. */
export function overridesDuring(
  overrides: readonly Override[],
  window: NightWindow,
): { readonly override: Override; readonly span: OverrideSpan }[] {
  return overrides
    .map((override) => ({
      override,
      span: {
        id: override.id,
        from: Math.round(Date.parse(override.from) / 1000),
        until: Math.round(Date.parse(override.until) / 1000),
        level: override.level,
      },
    }))
    .filter(({ span }) => span.from < window.end && span.until > window.start);
}

/**
 * The overrides acting on each luminaire during one night, in config order (where they overlap the
 * one listed last wins). Luminaires sharing a zone and street (and not named by id) share one array,
 * so the array's identity can key a cache.
 */
export class NightOverrideSelector {
  private readonly active: readonly { readonly override: Override; readonly span: OverrideSpan }[];
  /** Ids some active override names: only these luminaires need an evaluation of their own. */
  readonly namedIds: ReadonlySet<string>;
  private readonly cache = new PlaceCache<readonly OverrideSpan[]>();

  constructor(overrides: readonly Override[], window: NightWindow) {
    this.active = overridesDuring(overrides, window);
    this.namedIds = new Set(
      this.active.flatMap(({ override }) =>
        'luminaires' in override.target ? (override.target.luminaires ?? []) : [],
      ),
    );
  }

  select(luminaire: Placed): readonly OverrideSpan[] {
    if (this.active.length === 0) return NONE;
    if (this.namedIds.has(luminaire.id)) return this.evaluate(luminaire);
    return this.cache.get(luminaire.zone, luminaire.street, () => this.evaluate(luminaire));
  }

  private evaluate(luminaire: Placed): readonly OverrideSpan[] {
    const spans = this.active
      .filter(({ override }) => overrideTargets(override, luminaire))
      .map(({ span }) => span);
    return spans.length === 0 ? NONE : spans;
  }
}
