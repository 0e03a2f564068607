import { fnv1a } from '#protocol/hash.ts';

/**
 * Key builders for every item kind of the main and telemetry tables. One place builds keys, so the
 * access patterns of docs/adr/0002-dynamodb-access-patterns.md are the only ones that exist.
 */

/**
 * Luminaires are spread over a fixed number of shard partitions. A shard is read with one Query and
 * is the unit of work of the plan push (one SQS message per shard): at 200,000 luminaires a shard
 * holds ~780 items (~160 KB, one Query page) and an import spreads its writes over 256 partitions.
 */
export const LUMINAIRE_SHARDS = 256;

/** The shard of a luminaire, from the FNV-1a of its id: the same in every process and every run. */
export function shardOf(luminaireId: string, shards = LUMINAIRE_SHARDS): number {
  return fnv1a(luminaireId) % shards;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Sort-key prefixes that are also queried by (begins_with, or a filter of a partition read). */
const PROFILE = 'PROFILE#';
const RULE = 'RULE#';
const OVERRIDE = 'OVERRIDE#';
const LUM = 'LUM#';
const PUSH = 'PUSH#';
const ALARM = 'ALARM#';
const SENSOR = 'SENSOR#';
const CABINET = 'CABINET#';

export const siteKeys = (site: string) => {
  const sitePk = `SITE#${site}`;
  const luminairePk = (id: string) => `${sitePk}#LUM#${id}`;
  return {
    /** AP1: the whole configuration is one partition. */
    configPk: sitePk,
    settingsSk: 'SETTINGS',
    profileSk: (name: string) => `${PROFILE}${name}`,
    profilePrefix: PROFILE,
    ruleSk: (id: string) => `${RULE}${id}`,
    rulePrefix: RULE,
    overrideSk: (id: string) => `${OVERRIDE}${id}`,
    overridePrefix: OVERRIDE,

    /** AP2/AP3: luminaires and their push state, by shard. */
    shardPk: (shard: number) => `${sitePk}#SHARD#${pad(shard, 3)}`,
    luminaireSk: (id: string) => `${LUM}${id}`,
    luminairePrefix: LUM,
    pushSk: (id: string) => `${PUSH}${id}`,
    pushPrefix: PUSH,
    /** AP4: luminaires of a zone (and street) on GSI1. */
    zonePk: (zone: string) => `${sitePk}#ZONE#${zone}`,
    zoneSk: (street: string, id: string) => `${LUM}${street}#${id}`,
    /** The luminaires of one street of a zone, or of the whole zone. */
    zoneSkPrefix: (street?: string) => (street === undefined ? LUM : `${LUM}${street}#`),
    /** AP5: a luminaire by its thing name on GSI2. */
    thingPk: (thing: string) => `${sitePk}#THING#${thing}`,
    thingSk: (id: string) => `${LUM}${id}`,

    /** AP6: everything that belongs to one luminaire's life: meter, day rollups, alarms, boost. */
    luminairePk,
    meterSk: 'METER',
    luminaireDaySk: (night: string) => `DAY#${night}`,
    alarmSk: (kind: string) => `${ALARM}${kind}`,
    alarmPrefix: ALARM,
    boostSk: 'BOOST',
    /** A decommissioned luminaire as it was, with when and by whom (its history stays next to it). */
    decommissionedSk: 'DECOMMISSIONED',

    /** AP8: open alarms of the site (sparse GSI1 entries), ordered by zone then time. */
    openAlarmsPk: `${sitePk}#ALARMS#OPEN`,
    openAlarmSk: (zone: string, openedAt: string, id: string, kind: string) =>
      `${zone}#${openedAt}#${id}#${kind}`,
    /** AP31: every alarm item of the site on GSI2 by opening time (the report's KPIs of a period). */
    alarmsByOpeningPk: `${sitePk}#ALARMS#ALL`,
    alarmByOpeningSk: (openedAt: string, id: string, kind: string) => `${openedAt}#${id}#${kind}`,
    /** AP23: when the last alarm digest went out (one item). */
    alarmDigestPk: `${sitePk}#ALARMS#DIGEST`,
    alarmDigestSk: 'LAST',
    /** AP35: how far the backfill of alarm items of an older shape went (one item). */
    alarmBackfillPk: `${sitePk}#ALARMS#BACKFILL`,
    alarmBackfillSk: 'PROGRESS',

    /** AP9: a detection seen already (idempotency record with TTL). */
    detectionPk: (sensor: string, detectionId: string) => `${sitePk}#DETECTION#${sensor}#${detectionId}`,
    detectionSk: 'SEEN',

    /** AP15: the first answer to a request sent with an Idempotency-Key, by principal (TTL 24 h). */
    idempotencyPk: (principal: string, key: string) => `${sitePk}#IDEMPOTENCY#${principal}#${key}`,
    idempotencySk: 'REQUEST',
    /** AP29: a public client's requests in one window, by pseudonym (never the address; TTL). */
    clientWindowPk: (group: string, pseudonym: string) => `${sitePk}#CLIENT#${group}#${pseudonym}`,
    clientWindowSk: (windowStart: number) => `WINDOW#${windowStart}`,
    /** AP19: the presence sensors of the site, one partition (a site has hundreds, not thousands). */
    sensorsPk: `${sitePk}#SENSORS`,
    sensorSk: (id: string) => `${SENSOR}${id}`,
    sensorPrefix: SENSOR,
    /** AP26: the cabinets of the site, one partition. */
    cabinetsPk: `${sitePk}#CABINETS`,
    cabinetSk: (id: string) => `${CABINET}${id}`,
    cabinetPrefix: CABINET,
    /** AP34: the connected cabinets' contactors planned for a night's push, a partition per night. */
    contactorsPk: (night: string) => `${sitePk}#CONTACTORS#${night}`,

    /** Telemetry table, AP28: a cabinet's meter state and its metered energy by night. */
    cabinetMeterPk: (id: string) => `${sitePk}#CAB#${id}`,
    cabinetNightSk: (night: string) => `NIGHT#${night}`,

    /** AP25: the live-state snapshot the alarm sweep writes: a head naming its parts, by zone. */
    liveStatePk: `${sitePk}#LIVE`,
    liveStateHeadSk: 'HEAD',
    liveStatePartSk: (zone: string, part: number) => `PART#${zone}#${pad(part, 4)}`,

    /** AP27: the frozen monthly statements, one partition per month, a version per item (oldest first). */
    statementPk: (month: string) => `${sitePk}#STATEMENT#${month}`,
    statementSk: (version: number) => `V#${pad(version, 4)}`,
    statementPrefix: 'V#',

    /** AP30: a closed night's street sums, one partition per night, parts by zone. */
    closedNightPk: (night: string) => `${sitePk}#CLOSED#${night}`,
    closedNightSk: (zone: string, part: number) => `ZONE#${zone}#${pad(part, 4)}`,
    /** AP33: a month's street sums (its closed nights from the 1st on), laid out as a closed night's. */
    monthTotalsPk: (month: string) => `${sitePk}#MONTHSUMS#${month}`,
    /**
     * AP32: a delivery point's utility load curve, one partition per point, an item per version and
     * UTC month; the head (one item of the site) names each point's committed version.
     */
    utilityReadingsPk: (deliveryPointId: string) => `${sitePk}#READINGS#${deliveryPointId}`,
    utilityReadingsSk: (version: string, month: string) => `V#${version}#M#${month}`,
    utilityReadingsVersionPrefix: (version: string) => `V#${version}#M#`,
    utilityReadingsHeadPk: `${sitePk}#READINGS`,
    utilityReadingsHeadSk: 'HEAD',

    /** AP12: audit log, one partition per month, newest last. */
    auditPk: (month: string) => `${sitePk}#AUDIT#${month}`,
    auditSk: (at: string, id: string) => `${at}#${id}`,

    /** Telemetry table, AP18: rejected reports of a thing (the topic's name) in receive order. */
    rejectPk: (thing: string) => `${sitePk}#REJECTS#${thing}`,
    rejectSk: (receivedAtMs: number, reason: string, digest: string) =>
      `${pad(receivedAtMs, 13)}#${reason}#${digest}`,
  };
};

export type SiteKeys = ReturnType<typeof siteKeys>;
