/** The alarm kinds the cloud raises itself, beside the controller faults (protocol FAULTS) and dayBurning. */
export const PLAN_DRIFT = 'plan-drift';
export const NOT_REPORTING = 'not-reporting';
