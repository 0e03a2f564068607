import { beforeAll, describe, expect, it, vi } from 'vitest';
import { documentClientFor } from '#functions/shared/clients.ts';
import { type AuditEntry, type AuditStore, makeAuditStore } from '#functions/store/audit-store.ts';
import { createTables } from '#functions/store/index.ts';
import { localDynamoDb, uniqueName } from '../local-clients.ts';

/** Entries over three months of 2026, oldest first: five in March, one in May, three in June. */
const TIMES = [
  '2026-03-02T08:00:00.000Z',
  '2026-03-09T08:00:00.000Z',
  '2026-03-16T08:00:00.000Z',
  '2026-03-23T08:00:00.000Z',
  '2026-03-30T08:00:00.000Z',
  '2026-05-11T08:00:00.000Z',
  '2026-06-01T08:00:00.000Z',
  '2026-06-08T08:00:00.000Z',
  '2026-06-15T08:00:00.000Z',
];
const RANGE = { from: '2026-01-01T00:00:00.000Z', to: '2026-06-30T23:59:59.999Z' };

let audit: AuditStore;
let send: ReturnType<typeof vi.spyOn>;
let newestFirst: AuditEntry[];

beforeAll(async () => {
  const raw = localDynamoDb();
  const tableName = uniqueName('audit');
  await createTables(raw, { main: tableName, telemetry: uniqueName('audit-telemetry') });
  const db = documentClientFor(raw);
  audit = makeAuditStore({ db, tableName, site: 'test' });
  const stored = [];
  for (const at of TIMES) {
    stored.push(
      await audit.append({
        at,
        actor: 'theo',
        action: 'profile.put',
        target: 'profile p',
        before: null,
        after: at,
      }),
    );
  }
  newestFirst = stored.reverse();
  send = vi.spyOn(db, 'send');
});

async function allPages(limit: number): Promise<AuditEntry[][]> {
  const pages: AuditEntry[][] = [];
  let after: AuditEntry | undefined;
  do {
    const page = await audit.list({ ...RANGE, limit, after });
    pages.push(page.items);
    after = page.next === undefined ? undefined : page.items.at(-1);
    if (page.next !== undefined) expect(page.next).toEqual({ at: after?.at, id: after?.id });
  } while (after !== undefined);
  return pages;
}

describe('audit log paging', () => {
  it('pages through a range newest first, each entry once, and says when nothing older remains', async () => {
    const pages = await allPages(2);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 2, 1]);
    expect(pages.flat()).toEqual(newestFirst);
    expect((await audit.list({ ...RANGE, limit: 9 })).next).toBeUndefined();
  });

  it('reads the months one at a time from the newest and stops when the page is full', async () => {
    send.mockClear();
    const page = await audit.list({ ...RANGE, limit: 2 });
    expect(page.items.map((entry) => entry.at)).toEqual(TIMES.slice(7).reverse());
    expect(send).toHaveBeenCalledTimes(1);

    send.mockClear();
    await audit.list({ ...RANGE, limit: 4 });
    // June (three), May (one), April (none), then March for the one entry that says more remain.
    const limits = send.mock.calls.map(
      (call: unknown[]) => (call[0] as { input: { Limit: number } }).input.Limit,
    );
    expect(limits).toEqual([5, 2, 1, 1]);
  });

  it('keeps to the range inside a month', async () => {
    const page = await audit.list({
      from: '2026-03-10T00:00:00.000Z',
      to: '2026-03-25T00:00:00.000Z',
      limit: 10,
    });
    expect(page.items.map((entry) => entry.at)).toEqual([TIMES[3], TIMES[2]]);
  });
});
