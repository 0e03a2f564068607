/**
 * The shapes of the API answers these pages read (docs/api.md). The console may not import the
 * API's modules (functions/), so they are written here as the pages use them.
 */

/** A luminaire's plan for one night, instants as ISO strings with the site's offset. */
export interface PlanView {
  readonly profile: string | null;
  readonly on: string | null;
  readonly off: string | null;
  readonly transitions: readonly { readonly at: string; readonly level: number }[];
  readonly energyWh: number;
}

/** GET /luminaires/{id}/plan */
export interface LuminairePlanAnswer extends PlanView {
  readonly id: string;
  readonly night: string;
  readonly timezone: string;
  readonly rule: string | null;
  readonly overrides: readonly string[];
  readonly baselineWh: number;
}

/** GET /luminaires/{id}/energy */
export interface EnergyAnswer {
  readonly nights: readonly {
    readonly night: string;
    readonly meteredWh: number | null;
    readonly plannedWh: number | null;
    readonly baselineWh: number | null;
    readonly reports: number;
  }[];
  readonly totals: { readonly meteredWh: number; readonly plannedWh: number; readonly baselineWh: number };
}

/** One of GET /alarms's items. */
export interface OpenAlarm {
  readonly luminaireId: string;
  readonly kind: string;
  readonly zone: string;
  readonly street: string;
  readonly openedAt: string;
  readonly detail?: string;
  readonly acknowledgedBy?: string;
}

/** A dry run's or a change's preview of one night. */
export interface ChangePreview {
  readonly night: string;
  readonly affected: number;
  readonly changed: number;
  readonly truncated: boolean;
  readonly luminaires: readonly {
    readonly id: string;
    readonly zone: string;
    readonly street: string;
    readonly before: PlanView | null;
    readonly after: PlanView | null;
  }[];
}

/** How a stored change reached the luminaires (absent when it reaches none). */
export interface PushSummary {
  readonly night: string;
  readonly planned?: number;
  readonly pushed?: number;
  readonly unchanged?: number;
  readonly failed?: number;
  readonly requests?: number;
  readonly requeuedShards?: number;
  readonly queued?: { readonly shards: number; readonly luminaires: number };
  readonly error?: string;
}

/** The answer of a change (PUT, POST, DELETE of a configuration item), dry run or not. */
export interface ChangeOutcome {
  readonly dryRun: boolean;
  readonly action: string;
  readonly target: string;
  readonly preview: ChangePreview;
  readonly auditId?: string;
  readonly push?: PushSummary;
}

/** GET /settings: what the pages need of it. */
export interface SiteSettings {
  readonly site: { readonly latitude: number; readonly longitude: number; readonly timezone: string };
}
