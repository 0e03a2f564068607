import type { Principal } from '#protocol/principal.ts';
import { type Config, type LocalDate, nightOf, parseConfig } from '#schedules/index.ts';
import type { ChunkQueue } from '../../plan-push/chunk-queue.ts';
import type { PlanPusher, PushSummary } from '../../plan-push/plan-pusher.ts';
import { loadCircuits } from '../../shared/circuits.ts';
import { logger } from '../../shared/logger.ts';
import type { ConfigChange, ConfigChangeWriter } from '../../store/config-changes.ts';
import type { AuditEntry, CabinetStore, ConfigStore, LuminaireStore } from '../../store/index.ts';
import { ApiProblem, fieldErrorAt } from '../problem.ts';
import { applyChange, targetOf, valueAfter, valueBefore } from './apply.ts';
import { decideChangePush, INLINE_PUSH_LIMIT } from './change-push.ts';
import { unknownPlaceErrors } from './place-names.ts';
import { type Preview, previewChange } from './preview.ts';
import { luminairesReached, reachOfChange, zoneRefusals } from './scope.ts';

export interface ChangeDeps {
  readonly config: ConfigStore;
  readonly luminaires: LuminaireStore;
  /** What bounds the previewed plans, as the push bounds them. */
  readonly cabinets: Pick<CabinetStore, 'listAll'>;
  readonly writer: ConfigChangeWriter;
  readonly pusher: Pick<PlanPusher, 'pushLuminaires'>;
  /** Where a change too large to push inside the request goes: the nightly push's chunk queue. */
  readonly queue: ChunkQueue;
  /** Most luminaires pushed inside the request (INLINE_PUSH_LIMIT by default). */
  readonly inlinePushLimit?: number;
  /** Epoch seconds. */
  readonly now: () => number;
  readonly newId: () => string;
}

export interface ChangeContext {
  readonly principal: Principal;
  readonly requestId: string;
  /** Preview only: nothing stored, nothing pushed. */
  readonly dryRun: boolean;
  /** The night to preview; the coming (or current) night by default. */
  readonly night?: LocalDate | undefined;
  /**
   * The request's preconditions (If-Match ...) checked on the loaded configuration, after the
   * caller is found allowed to make the change (a 412 shows the current item) and before anything
   * is previewed or stored; the versioned commit makes the check hold until the change is stored.
   */
  readonly precondition?: ((current: Config) => void) | undefined;
}

export interface ChangeOutcome {
  readonly dryRun: boolean;
  readonly action: string;
  readonly target: string;
  readonly preview: Preview;
  readonly auditId?: string;
  readonly push?: PushOutcome;
}

/**
 * What the API reports of a change's push: done inside the request, queued by shard, or failed as a
 * whole (the pusher or the queue threw) after the change was stored: `failed` luminaires were not
 * pushed, `error` says why; the next nightly push plans them from the stored configuration.
 */
export type PushOutcome =
  | (Omit<PushSummary, 'failed'> & { readonly failed: number; readonly requeuedShards: number })
  | { readonly night: LocalDate; readonly queued: { readonly shards: number; readonly luminaires: number } }
  | { readonly night: LocalDate; readonly failed: number; readonly error: string };

/** The audit entry of a change made by a principal now. */
export function auditEntry(
  deps: Pick<ChangeDeps, 'now' | 'newId'>,
  principal: Principal,
  fields: Pick<AuditEntry, 'action' | 'target' | 'before' | 'after'>,
): AuditEntry {
  return {
    id: deps.newId(),
    at: new Date(deps.now() * 1000).toISOString(),
    actor: principal.username,
    ...fields,
  };
}

/**
 * Re-plans and pushes the luminaires a stored change reached, from the night in progress: inside
 * the request when they are few, else through the plan-push queue. The summary as the API reports
 * it. The change is stored already, so a push that throws is reported (and logged), never thrown:
 * the caller answers 2xx for what it stored.
 */
export async function pushReached(
  deps: Pick<ChangeDeps, 'pusher' | 'queue' | 'now' | 'inlinePushLimit'>,
  ids: readonly string[],
  { requestId, timezone }: { readonly requestId: string; readonly timezone: string },
): Promise<PushOutcome | undefined> {
  if (ids.length === 0) return undefined;
  const night = nightOf(timezone, deps.now());
  try {
    return await push(deps, ids, night, `api-${requestId}`);
  } catch (error) {
    logger.error('stored change not pushed', { error: error as Error, requestId, luminaires: ids.length });
    return { night, failed: new Set(ids).size, error: (error as Error).message };
  }
}

async function push(
  deps: Pick<ChangeDeps, 'pusher' | 'queue' | 'inlinePushLimit'>,
  ids: readonly string[],
  night: LocalDate,
  runId: string,
): Promise<PushOutcome> {
  const decision = decideChangePush(ids, { night, runId, limit: deps.inlinePushLimit ?? INLINE_PUSH_LIMIT });
  if (decision.kind === 'queued') {
    await deps.queue.enqueue(decision.chunks);
    return { night, queued: { shards: decision.chunks.length, luminaires: decision.luminaires } };
  }
  const { failed, busyShards, ...counts } = await deps.pusher.pushLuminaires(decision.ids, runId);
  // A chunk was pushing those shards, perhaps from the configuration before this change: push them again.
  await deps.queue.enqueue(busyShards.map((shard) => ({ night, shard, runId })));
  return { ...counts, failed: failed.length, requeuedShards: busyShards.length };
}

/**
 * A technician's change to the site configuration, end to end: the configuration after the change
 * is validated as a whole (schema and cross checks: unknown profile, overlapping rules ...), the
 * zones and streets a rule or override names are checked against the inventory (place-names.ts), the
 * luminaires it reaches are found, a zone-limited technician is held to their zones, the night's
 * plans are compared; then, unless it is a dry run, the change and its audit entry are written in
 * one transaction, provided no other change committed since the configuration was read (else 409,
 * ConfigurationChanged, and nothing is stored), and only the reached luminaires are re-planned and
 * pushed (or queued, see pushReached).
 */
export async function runConfigChange(
  deps: ChangeDeps,
  context: ChangeContext,
  makeChange: (current: Config) => ConfigChange,
): Promise<ChangeOutcome> {
  const { config: before, version } = await deps.config.loadVersioned();
  const change = makeChange(before);
  const checked = parseConfig(applyChange(before, change), 'configuration');
  if (!checked.ok) {
    throw new ApiProblem(
      change.kind.endsWith('.delete') ? 'conflict' : 'validation-failed',
      'the configuration would not be valid after this change',
      checked.problems.map((problem) => fieldErrorAt(problem.path, problem.message)),
    );
  }
  const after = checked.value;
  const unknownPlaces = await unknownPlaceErrors(change, deps.luminaires);
  if (unknownPlaces.length > 0) {
    throw new ApiProblem('validation-failed', 'this names places no luminaire is in', unknownPlaces);
  }
  const reaches = reachOfChange(before, after, change);
  const reached = await luminairesReached(reaches, deps.luminaires);
  const refusals = zoneRefusals(context.principal, reaches, reached);
  if (refusals.length > 0) {
    throw new ApiProblem('forbidden', `your zones do not cover this change: ${refusals.join('; ')}`);
  }
  context.precondition?.(before);
  const night = context.night ?? nightOf(before.site.timezone, deps.now());
  const circuits = await loadCircuits(deps, reached);
  const preview = previewChange(
    { config: before, luminaires: reached, circuits },
    { config: after, luminaires: reached, circuits },
    night,
  );
  const action = change.kind;
  const target = targetOf(change);
  if (context.dryRun) return { dryRun: true, action, target, preview };

  const audit = auditEntry(deps, context.principal, {
    action,
    target,
    before: valueBefore(before, change),
    after: valueAfter(change),
  });
  await deps.writer.commit(change, audit, version);
  const push = await pushReached(
    deps,
    reached.map((luminaire) => luminaire.id),
    { requestId: context.requestId, timezone: after.site.timezone },
  );
  return {
    dryRun: false,
    action,
    target,
    preview,
    auditId: audit.id,
    ...(push === undefined ? {} : { push }),
  };
}
