/**
 * Limits of the plan shadow, shared by the cloud (codec, config budget check) and the controllers
 * (their plan parser), so a plan the cloud accepts is never one a controller refuses.
 */

/** AWS IoT: `desired` + `reported` of one shadow document, metadata not counted. */
export const SHADOW_STATE_MAX_BYTES = 8 * 1024;

/** The most numbers in a plan's `s` ([dt, level] pairs): 200 level changes. */
export const MAX_PLAN_NUMBERS = 400;

/** The most numbers in a plan's `f` ([dt, fade seconds] pairs): one fade change per night of a 14-night plan. */
export const MAX_FADE_NUMBERS = 28;

/** Longest fade between two lit levels, seconds. */
export const MAX_FADE_SECONDS = 600;

/**
 * The plan's JSON, at most. The plan shadow holds it twice (the controller acknowledges by writing
 * it back as `reported.plan`), so two of them must stay under the state limit with room to spare.
 * A plan at MAX_PLAN_NUMBERS and MAX_FADE_NUMBERS, each dt as long as a 14-night plan allows, takes about 2.6 KB.
 */
export const MAX_PLAN_JSON_BYTES = 3 * 1024;
