import { describe, expect, it } from 'vitest';
import { cabinetPowerProblems } from '#schedules/config/cabinet-power.ts';

const cabinet = (id: string, subscribedKva: number) => ({ id, subscribedKva, lineLossPercent: 2 });
const fed = (cabinetId: string, count: number, ledWatts: number) =>
  Array.from({ length: count }, () => ({ cabinet: cabinetId, ledWatts }));

describe('cabinetPowerProblems', () => {
  it('warns, in English and French, of a cabinet whose luminaires at full power draw more than its subscribed power', () => {
    const problems = cabinetPowerProblems(
      [cabinet('CAB-1', 3), cabinet('CAB-2', 6)],
      [...fed('CAB-1', 75, 40), ...fed('CAB-2', 75, 40), { cabinet: undefined, ledWatts: 5_000 }],
      'cabinets.csv',
    );
    expect(problems).toEqual([
      {
        source: 'cabinets.csv',
        path: 'cabinet CAB-1, subscribedKva',
        message:
          'its luminaires draw 3.06 kW at full power (their rated power plus 2 % line loss), more than its ' +
          'subscribed 3 kVA: the cabinet ledger rejects its meter readings as implausible-energy (FR : ses ' +
          'luminaires appellent 3,06 kW à pleine puissance, pertes en ligne comprises, plus que sa puissance ' +
          'souscrite de 3 kVA)',
      },
    ]);
  });

  it('counts the line loss: a circuit whose rated power alone fits but not with its cable loss is named', () => {
    expect(cabinetPowerProblems([cabinet('CAB-1', 3)], fed('CAB-1', 3, 990), 'c.csv')).toHaveLength(1);
    expect(cabinetPowerProblems([cabinet('CAB-1', 3)], fed('CAB-1', 3, 980), 'c.csv')).toEqual([]);
  });
});
