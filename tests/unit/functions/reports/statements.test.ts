import { describe, expect, it } from 'vitest';
import { closeStatement, type StatementDeps, sha256Hex } from '#functions/reports/statements.ts';
import type { LuminaireNight } from '#functions/store/index.ts';
import type { StatementStore, StatementVersion } from '#functions/store/statement-store.ts';
import { Cabinet, Config } from '#schedules/index.ts';
import { noClosedNights } from '#tests/support/functions/closed-nights.ts';
import { carcassonne, config, luminaire, offPeakTariff } from '#tests/support/schedules/fixtures.ts';

const JUNE_2 = Date.parse('2026-06-02T12:00:00Z') / 1000;

/** The statement store as DynamoDB keeps it: versions written once, bytes returned as stored. */
function memoryStatements(): StatementStore {
  const items = new Map<string, { version: StatementVersion; documents: Record<string, Buffer> }>();
  return {
    async versions(month) {
      return [...items.values()].filter((i) => i.version.month === month).map((i) => i.version);
    },
    async document(month, version, document) {
      return items.get(`${month}#${version}`)?.documents[document];
    },
    async put(version, documents) {
      const key = `${version.month}#${version.version}`;
      if (items.has(key)) return 'exists';
      items.set(key, { version, documents });
      return 'written';
    },
  };
}

function deps(nights: Record<string, LuminaireNight[]> = {}, now = JUNE_2): StatementDeps {
  const site = config();
  return {
    config: { loadVersioned: async () => ({ config: site, version: 7 }) },
    luminaires: { listAll: async () => [luminaire({ id: 'L-1' })] },
    closedNights: noClosedNights(async (id) => nights[id] ?? []),
    alarms: { openDuring: async () => [] },
    cabinets: { listAll: async () => [] },
    statements: memoryStatements(),
    now: () => now,
  };
}

const night = (date: string, wh: number): LuminaireNight => ({
  night: date,
  wh,
  burnH: 8,
  reports: 30,
  firstTs: Date.parse(`${date}T10:00:00Z`) / 1000,
  lastTs: Date.parse(`${date}T10:00:00Z`) / 1000 + 86_340,
});

describe('monthly statements', () => {
  it('hashes the bytes with SHA-256', () => {
    expect(sha256Hex(Buffer.from('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('stores the JSON with its hash and without a generation time, and prints the hash in the page', async () => {
    const d = deps();
    const { statement } = await closeStatement(d, '2026-05', undefined, 'finance');
    const json = await d.statements.document('2026-05', 1, 'json');
    expect(sha256Hex(json as Buffer)).toBe(statement.sha256.json);
    expect(JSON.parse(String(json))).not.toHaveProperty('generatedAt');
    const html = String(await d.statements.document('2026-05', 1, 'html'));
    expect(html).toContain(statement.sha256.json);
    expect(html).toContain('Configuration version');
  });

  it("prices each cabinet's delivery point on its contract option: tariffs and subscription per option", async () => {
    const c5 = { ...offPeakTariff, id: 'ep-c5-2026', option: 'ep-c5' };
    const c4 = { ...offPeakTariff, id: 'ep-c4-2026', option: 'ep-c4', subscriptionEurPerKvaMonth: 2 };
    const site = Config.parse({ ...carcassonne, site: { ...carcassonne.site, tariffs: [c5, c4] } });
    const cabinet = (id: string, tariffOption: string, subscribedKva: number, point: string) =>
      Cabinet.parse({
        id,
        lat: 43.2,
        lon: 2.35,
        zone: 'bastide',
        deliveryPointId: point,
        subscribedKva,
        tariffOption,
        controller: 'none',
      });
    const d: StatementDeps = {
      ...deps(),
      config: { loadVersioned: async () => ({ config: site, version: 7 }) },
      luminaires: {
        listAll: async () => [
          luminaire({ id: 'L-1', cabinet: 'C5' }),
          luminaire({ id: 'L-2', cabinet: 'C4' }),
        ],
      },
      cabinets: {
        listAll: async () => [
          cabinet('C5', 'ep-c5', 36, '30000000000005'),
          cabinet('C4', 'ep-c4', 100, '30000000000004'),
        ],
      },
    };
    const { statement } = await closeStatement(d, '2026-05', undefined, 'finance');
    expect(statement.tariffs).toEqual(['ep-c4-2026', 'ep-c5-2026']);
    const report = JSON.parse(String(await d.statements.document('2026-05', 1, 'json')));
    expect(report.tariffs.map((t: { option: string; id: string }) => [t.option, t.id])).toEqual([
      ['ep-c4', 'ep-c4-2026'],
      ['ep-c5', 'ep-c5-2026'],
    ]);
    expect(
      report.bill.subscription.map((l: { option: string; kva: number; amount: number }) => [
        l.option,
        l.kva,
        l.amount,
      ]),
    ).toEqual([
      ['ep-c4', 100, expect.closeTo(200, 6)],
      ['ep-c5', 36, expect.closeTo(54, 6)],
    ]);
  });

  it('returns the latest version when closed again with the same figures, by whoever closes', async () => {
    const d = deps();
    const first = await closeStatement(d, '2026-05', undefined, 'finance');
    const again = await closeStatement(d, '2026-05', undefined, 'admin');
    expect([first.kind, again.kind]).toEqual(['created', 'unchanged']);
    expect(again.statement).toEqual(first.statement);
    expect(first.statement).toMatchObject({ configVersion: 7, tariffs: ['flat'], closedBy: 'finance' });
  });

  it('asks a reason for changed figures, and makes a correction a new version', async () => {
    const nights: Record<string, LuminaireNight[]> = {};
    const d = deps(nights);
    await closeStatement(d, '2026-05', undefined, 'finance');
    nights['L-1'] = [night('2026-05-10', 500)];
    await expect(closeStatement(d, '2026-05', undefined, 'finance')).rejects.toThrow(/needs a reason/);
    const correction = await closeStatement(d, '2026-05', 'late readings', 'finance');
    expect(correction.statement).toMatchObject({ version: 2, reason: 'late readings' });
    expect((await d.statements.versions('2026-05')).map((v) => v.version)).toEqual([1, 2]);
  });

  it('refuses a month whose last night is not over', async () => {
    await expect(
      closeStatement(deps({}, Date.parse('2026-06-01T09:00:00Z') / 1000), '2026-05', undefined, 'f'),
    ).rejects.toThrow(/not over/);
  });

  it('freezes the French CSV for spreadsheets beside the JSON', async () => {
    const d = deps({ 'L-1': [night('2026-05-10', 500)] });
    await closeStatement(d, '2026-05', undefined, 'finance');
    const stored = await d.statements.document('2026-05', 1, 'csv-fr');
    expect(String(stored).startsWith('\uFEFFgroup_by;group;from;to;ipmvp_option;')).toBe(true);
  });
});
