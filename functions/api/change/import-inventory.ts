import type { Principal } from '#protocol/principal.ts';
import type { Luminaire } from '#schedules/index.ts';
import type { ThingNameClash } from '#schedules/inventory/index.ts';
import { logger } from '../../shared/logger.ts';
import type { AuditEntry } from '../../store/index.ts';
import { AUDITED_PUT_LIMIT } from '../../store/luminaire-store.ts';
import { ApiProblem } from '../problem.ts';
import { auditEntry, type ChangeDeps } from './run-change.ts';

/**
 * Luminaires per import transaction: with its chunk entry, and the parent entry in the last one,
 * a transaction stays within DynamoDB's 100 items.
 */
export const IMPORT_CHUNK_SIZE = AUDITED_PUT_LIMIT - 2;

/** The parent audit entry keeps whole luminaires for small imports and a summary for large ones (item size). */
const AUDIT_DETAIL_LIMIT = 50;

function auditSummary(luminaires: readonly Luminaire[]): unknown {
  if (luminaires.length <= AUDIT_DETAIL_LIMIT) return luminaires;
  return {
    count: luminaires.length,
    zones: [...new Set(luminaires.map((l) => l.zone))].sort(),
    firstIds: luminaires.slice(0, AUDIT_DETAIL_LIMIT).map((l) => l.id),
  };
}

/** A refusal naming each imported luminaire whose device another luminaire already is. */
export function thingNameConflict(clashes: readonly ThingNameClash[]): ApiProblem {
  return new ApiProblem(
    'conflict',
    `${clashes.length} luminaire(s) name a device another luminaire already is; nothing was imported`,
    clashes.map(({ luminaire, holder }) => ({
      name: `luminaire ${luminaire.id}`,
      detail: `thing name ${JSON.stringify(luminaire.thingName)} is already the device of luminaire ${JSON.stringify(holder.id)} (zone ${holder.zone})`,
    })),
  );
}

/**
 * Writes an import in transactions of IMPORT_CHUNK_SIZE luminaires, each with an audit entry of
 * what it wrote (`luminaires.import.chunk`, before and after, naming the parent entry); the last
 * transaction also writes the parent entry (`luminaires.import`, the whole import). So every stored
 * luminaire is audited with it, and the parent exists only once the whole import landed. Chunks are
 * written in order; when one fails, the earlier ones stay (audited, without a parent) and the
 * answer is a 503 naming them: puts replace by id, so sending the same import again completes it.
 * Returns the parent entry's id.
 */
export async function commitImport(
  deps: Pick<ChangeDeps, 'luminaires' | 'now' | 'newId'>,
  principal: Principal,
  {
    imported,
    existing,
    format,
  }: { imported: readonly Luminaire[]; existing: readonly Luminaire[]; format: string },
): Promise<{ readonly auditId: string; readonly chunks: number }> {
  const chunks: Luminaire[][] = [];
  for (let i = 0; i < imported.length; i += IMPORT_CHUNK_SIZE)
    chunks.push(imported.slice(i, i + IMPORT_CHUNK_SIZE));
  const parent = auditEntry(deps, principal, {
    action: 'luminaires.import',
    target: `${imported.length} luminaires (${format}) in ${chunks.length} chunk(s)`,
    before: auditSummary(existing),
    after: auditSummary(imported),
  });
  const existingById = new Map(existing.map((l) => [l.id, l]));
  for (const [index, chunk] of chunks.entries()) {
    const entry = auditEntry(deps, principal, {
      action: 'luminaires.import.chunk',
      target: `chunk ${index + 1} of ${chunks.length} of import ${parent.id}`,
      before: chunk.flatMap((l) => existingById.get(l.id) ?? []),
      after: chunk,
    });
    const last = index === chunks.length - 1;
    const entries: AuditEntry[] = last ? [entry, parent] : [entry];
    try {
      await deps.luminaires.putAudited(chunk, entries);
    } catch (error) {
      logger.error('import stopped', { error: error as Error, parent: parent.id, chunk: index + 1 });
      throw new ApiProblem(
        'unavailable',
        `the import stopped at chunk ${index + 1} of ${chunks.length}: ${landed(index, chunks)}; send the same import again to complete it (luminaires are replaced by id)`,
        [{ name: `chunk ${index + 1}`, detail: `not written: ${(error as Error).message}` }],
      );
    }
  }
  return { auditId: parent.id, chunks: chunks.length };
}

function landed(failedIndex: number, chunks: readonly Luminaire[][]): string {
  if (failedIndex === 0) return 'nothing was stored';
  const count = chunks.slice(0, failedIndex).reduce((sum, chunk) => sum + chunk.length, 0);
  return `chunks 1-${failedIndex} (the first ${count} luminaires of the file) are stored and audited`;
}
