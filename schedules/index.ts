/** The scheduling core's public API: pure functions of config, inventory and time. */
export { type Bounds, boundsOf, DEFAULT_CELL_DEGREES, maxFieldError, SunField } from './astro/sun-field.ts';
export { type NightSunTimes, sunTimesForNight } from './astro/sun-times.ts';
export { easterSunday, frenchHolidays, frenchHolidaysOn, holidaysSelected } from './calendar/holidays.ts';
export {
  type CalendarMonth,
  calendarMonth,
  type MonthNight,
  type OverrideInZone,
  type RuleException,
  type ZoneNight,
  zonesNamed,
} from './calendar/month.ts';
export {
  byPrecedence,
  type IndexedRule,
  NightRuleSelector,
  ruleAppliesToNight,
  ruleName,
  ruleSelectsLuminaire,
  rulesByPrecedence,
} from './calendar/select.ts';
export { cabinetSwitchingProblems } from './config/cabinet-switching.ts';
export { rulesOverlap } from './config/cross-checks.ts';
export { inventoryNameProblems, type PlaceSelector, selectorNameProblems } from './config/inventory-names.ts';
export { parseConfig } from './config/parse.ts';
export * from './config/schema.ts';
export {
  burningHours,
  energyValue,
  type LitTime,
  ledEnergyWh,
  litTime,
  type SavingsSplit,
  splitSavings,
} from './energy/model.ts';
export { Cabinet, Luminaire, type LuminaireInput } from './inventory/schema.ts';
export { NightOverrideSelector, type OverrideSpan, overrideTargets } from './overrides/select.ts';
export { type CabinetPlan, type FedLuminaire, planCabinet } from './plan/cabinet.ts';
export {
  type Circuits,
  type ContactorNights,
  circuitsOf,
  NightPlanner,
  NO_CIRCUITS,
  planNight,
} from './plan/plan-night.ts';
export { contactorNights, type LuminaireSchedule, planNights } from './plan/plan-nights.ts';
export { drivenLevel } from './plan/timeline.ts';
export type { LuminairePlan, NightPlan, Transition } from './plan/types.ts';
export {
  buildPresenceIndex,
  distanceMeters,
  type IndexedLuminaire,
  luminairesWithin,
  type PresenceIndex,
} from './presence/index-grid.ts';
export {
  affectedLuminaires,
  type Boost,
  boostFor,
  DETECTION_SKEW,
  type Detection,
  type DetectionTiming,
  detectionTiming,
  extendBoost,
  extendThreshold,
  type PlannedNight,
} from './presence/policy.ts';
export { formatProblem, jsonPath, jsonPointer, type Parsed, type Problem } from './problem.ts';
export { addDays, epochDayOf, weekdayOf } from './time/local-date.ts';
export { type NightWindow, nightOf, nightWindow, wallClockInNight } from './time/night.ts';
export { ZoneClock } from './time/zone-clock.ts';
