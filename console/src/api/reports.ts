import { z } from 'zod';
import type { SavingsFigures, SavingsReport } from '#schedules/report/savings.ts';
import { REPORT_GROUPINGS } from '#schedules/report/savings.ts';

const Figures = z.object({
  luminaires: z.number(),
  luminaireNights: z.number(),
  completeLuminaireNights: z.number(),
  partialLuminaireNights: z.number(),
  silentLuminaireNights: z.number(),
  stipulatedLuminaireNights: z.number(),
  completeShare: z.number(),
  stipulatedShare: z.number(),
  burningHours: z.number(),
  meteredKwh: z.number(),
  partialMeteredKwh: z.number(),
  stipulatedKwh: z.number(),
  plannedLitHours: z.number(),
  availability: z.number(),
  baselineKwh: z.number(),
  ledReferenceKwh: z.number(),
  savingsKwh: z.number(),
  ledConversionSavingsKwh: z.number(),
  controlsSavingsKwh: z.number(),
  savingsShare: z.number(),
  meteredCost: z.number(),
  baselineCost: z.number(),
  savingsCost: z.number(),
  co2AvoidedKg: z.number(),
}) satisfies z.ZodType<SavingsFigures>;

const IpmvpOption = z.enum(['A', 'B', 'A+B', 'none']);
const Group = Figures.extend({ key: z.string(), ipmvpOption: IpmvpOption });
const PriceLine = z.object({
  tariffId: z.string(),
  season: z.string(),
  period: z.string(),
  eurPerKwh: z.number(),
});
const nullableNumber = z.number().nullable();

/** `GET /reports/savings?format=json`: the report, its figures rounded as in the CSV. */
export const SavingsReportJson = z.object({
  site: z.object({
    name: z.string(),
    co2KgPerKwh: z.number(),
    currency: z.string(),
    contract: z
      .object({ guaranteedSavingsShare: z.number(), maxFailureRate: z.number().optional() })
      .optional(),
  }),
  from: z.string(),
  to: z.string(),
  nights: z.number(),
  groupBy: z.enum(REPORT_GROUPINGS),
  baselineDefinition: z.string(),
  completeNightsDefinition: z.string(),
  generatedAt: z.string(),
  groups: z.array(Group),
  months: z.array(Group),
  total: Figures,
  ipmvpOption: IpmvpOption,
  tariffs: z.array(
    z.object({
      option: z.string().nullable(),
      id: z.string(),
      label: z.string(),
      source: z.string().nullable(),
      from: z.string(),
      to: z.string(),
      nights: z.number(),
    }),
  ),
  bill: z.object({
    energy: z.array(PriceLine.extend({ kwh: z.number(), amount: z.number() })),
    subscription: z.array(
      z.object({
        tariffId: z.string(),
        option: z.string().nullable(),
        kva: z.number(),
        eurPerKvaMonth: z.number(),
        months: z.number(),
        amount: z.number(),
      }),
    ),
    taxes: z.array(
      z.object({ tariffId: z.string(), name: z.string(), basis: z.string(), amount: z.number() }),
    ),
    totalExcludingTaxes: z.number(),
    total: z.number(),
  }),
  kpis: z.object({
    savingsShare: z.number(),
    guaranteedSavingsShare: nullableNumber,
    savingsTargetMet: z.boolean().nullable(),
    availability: z.number(),
    plannedLitHours: z.number(),
    failureRate: z.number(),
    failedLuminaires: z.number(),
    maxFailureRate: nullableNumber,
    failureRateMet: z.boolean().nullable(),
    repairs: z.number(),
    meanTimeToRepairHours: nullableNumber,
  }),
}) satisfies z.ZodType<Omit<SavingsReport, 'from' | 'to'> & { from: string; to: string }>;
export type SavingsReportJson = z.infer<typeof SavingsReportJson>;
