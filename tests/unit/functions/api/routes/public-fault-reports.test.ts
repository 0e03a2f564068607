import { describe, expect, it } from 'vitest';
import { REFUSALS } from '#schedules/public/fault-report.ts';
import { memoryAlarmStore } from '../../shared/memory-stores.ts';
import { apiHarness } from '../api-harness.ts';

/** About 28 m north of L-0004 (testLuminaires: 25 m apart along one street), to more than the metre. */
const POINT = { lat: 43.2070512345, lon: 2.3656012345 };

const report = (fields: Record<string, unknown>) => ({
  description: 'Éteint depuis deux nuits',
  filledInSeconds: 30,
  ...fields,
});

function reporting() {
  const alarms = memoryAlarmStore();
  const api = apiHarness({ alarms: { ...alarms, forLuminaire: async () => [], openDuring: async () => [] } });
  return { api, alarms };
}

describe('fault reports', () => {
  it('keep a map point apart from the alarm detail, to the metre, for the close to erase it', async () => {
    const { api, alarms } = reporting();
    const sent = await api.call('POST', '/public/fault-reports', '', report({ position: POINT }));
    expect(sent.status).toBe(202);
    const [alarm] = alarms.open_.values();
    expect(alarm).toMatchObject({ luminaireId: 'L-0004', reporterPoint: { lat: 43.20705, lon: 2.3656 } });
    // The nearest poles' numbers stay; their distances would give the point back.
    expect(alarm?.detail).toMatch(
      /^Éteint depuis deux nuits \[map point; nearest: L-0004, L-000\d, L-000\d\]$/,
    );
  });

  it('store no point for a report by the pole number', async () => {
    const { api, alarms } = reporting();
    await api.call('POST', '/public/fault-reports', '', report({ luminaire: 'L-0001' }));
    const [alarm] = alarms.open_.values();
    expect(alarm?.luminaireId).toBe('L-0001');
    expect(alarm).not.toHaveProperty('reporterPoint');
  });

  it('name the field of an unknown pole with the reason the form translates', async () => {
    const { api, alarms } = reporting();
    const sent = await api.call('POST', '/public/fault-reports', '', report({ luminaire: 'L-9999' }));
    expect(sent.status).toBe(422);
    expect(sent.body.errors).toEqual([{ pointer: '/luminaire', detail: REFUSALS.unknownPole }]);
    expect(alarms.open_.size).toBe(0);
  });
});
