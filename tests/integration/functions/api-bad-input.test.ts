import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemKind } from '#functions/api/problem.ts';
import { type Config, Tariffs } from '#schedules/config/schema.ts';
import { twoRuleConfig } from '#tests/support/functions/api/fixtures.ts';
import { signRawToken } from '#tests/support/functions/auth/raw-token.ts';
import { testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { uniqueName } from '../local-clients.ts';
import { localApi } from './api-site.ts';

/** 2026-06-21 13:00 Paris. */
const NOW = Date.parse('2026-06-21T11:00:00Z') / 1000;

/** Who sends the request: a token of each kind the API must tell apart. */
type Caller =
  | 'technician'
  | 'cite technician'
  | 'admin'
  | 'finance'
  | 'none'
  | 'expired'
  | 'no exp'
  | 'blank zones';

/**
 * One bad request and what the API must answer: the status, the problem type, and (when the
 * problem is about one field) the field it names, as a JSON pointer into the body or a parameter
 * name. Every row also checks that the stored state (the whole table) is unchanged.
 */
interface Row {
  readonly case: string;
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly path: string;
  readonly as?: Caller;
  readonly body?: string;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly status: number;
  readonly type: ProblemKind;
  readonly names?: string;
  /** Sent to the local gateway's own paths (the local sign-in), not under /api. */
  readonly local?: true;
}

const body = (value: unknown): string => JSON.stringify(value);
const profile = (fields: Record<string, unknown> = {}) =>
  body({ on: { event: 'sunset' }, off: { event: 'sunrise' }, ...fields });
const override = (fields: Record<string, unknown> = {}) =>
  body({
    target: { zones: ['cite'] },
    level: 50,
    from: '2026-06-21T20:00:00Z',
    until: '2026-06-22T04:00:00Z',
    reason: 'storm',
    ...fields,
  });
/** 18:00, 18:05 ... : distinct valid step times. */
const fiveMinutesApart = (i: number): string =>
  `${18 + Math.floor(i / 12)}:${String((i % 12) * 5).padStart(2, '0')}`;
const ids = (count: number): string[] => Array.from({ length: count }, (_, i) => `L-${i}`);
const csvHeader = 'id,lat,lon,street,zone,ledWatts,baselineWatts\n';
/** The stored luminaires' ids (and default thing names): `${STORED}-0000` is in bastide. */
const STORED = uniqueName('B');

/** The bad-input table: add a row for each new way a request can be wrong. */
const ROWS: readonly Row[] = [
  // Path
  {
    case: 'malformed percent-encoding in a path',
    method: 'GET',
    path: '/profiles/%E0%A4%A',
    status: 400,
    type: 'bad-request',
    names: '{id}',
  },
  {
    case: 'malformed percent-encoding in a write path',
    method: 'PUT',
    path: '/profiles/%E0%A4%A',
    body: profile(),
    status: 400,
    type: 'bad-request',
    names: '{id}',
  },
  {
    case: 'a 1,100-character name in the path',
    method: 'PUT',
    path: `/profiles/${'n'.repeat(1100)}`,
    body: profile(),
    status: 400,
    type: 'bad-request',
    names: '{id}',
  },
  {
    case: 'a 1,100-character luminaire id in the path',
    method: 'GET',
    path: `/luminaires/${'L'.repeat(1100)}`,
    status: 400,
    type: 'bad-request',
    names: '{id}',
  },
  {
    case: '__proto__ as a profile name',
    method: 'PUT',
    path: '/profiles/__proto__',
    body: profile(),
    status: 400,
    type: 'bad-request',
    names: '{id}',
  },
  {
    case: 'constructor as a profile name',
    method: 'PUT',
    path: '/profiles/constructor',
    body: profile(),
    status: 400,
    type: 'bad-request',
    names: '{id}',
  },
  {
    case: 'prototype as a rule id',
    method: 'PUT',
    path: '/calendar/rules/prototype',
    body: body({ profile: 'cite', zones: ['cite'], priority: 20 }),
    status: 400,
    type: 'bad-request',
    names: '{id}',
  },
  {
    case: 'an inherited property read as a profile',
    method: 'GET',
    path: '/profiles/toString',
    status: 400,
    type: 'bad-request',
    names: '{id}',
  },
  {
    case: 'deleting an inherited property',
    method: 'DELETE',
    path: '/profiles/hasOwnProperty',
    status: 400,
    type: 'bad-request',
    names: '{id}',
  },
  // Body: size, syntax, media type
  {
    case: 'a 600 KB description',
    method: 'PUT',
    path: '/profiles/night',
    body: profile({ description: 'x'.repeat(600_000) }),
    status: 413,
    type: 'payload-too-large',
  },
  {
    case: 'an override naming 60,000 luminaires',
    method: 'POST',
    path: '/overrides',
    body: override({ target: { luminaires: ids(60_000) } }),
    status: 413,
    type: 'payload-too-large',
  },
  {
    case: 'an import larger than the import limit',
    method: 'POST',
    path: '/luminaires/import',
    body: csvHeader + 'x'.repeat(7 * 1024 * 1024),
    contentType: 'text/csv',
    status: 413,
    type: 'payload-too-large',
  },
  {
    case: 'a body that is not JSON',
    method: 'PUT',
    path: '/profiles/night',
    body: '{"on": ',
    status: 400,
    type: 'bad-request',
  },
  { case: 'no body', method: 'PUT', path: '/profiles/night', status: 400, type: 'bad-request' },
  {
    case: 'a JSON body sent as a form',
    method: 'PUT',
    path: '/profiles/night',
    body: profile(),
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
    type: 'unsupported-media-type',
  },
  {
    case: 'an import neither GeoJSON nor CSV',
    method: 'POST',
    path: '/luminaires/import',
    body: csvHeader,
    contentType: 'application/xml',
    status: 415,
    type: 'unsupported-media-type',
  },
  // Body: fields
  {
    case: 'a 1,001-character description',
    method: 'PUT',
    path: '/profiles/night',
    body: profile({ description: 'x'.repeat(1001) }),
    status: 422,
    type: 'validation-failed',
    names: '/description',
  },
  {
    case: 'too many profile steps',
    method: 'PUT',
    path: '/profiles/night',
    body: profile({
      steps: Array.from({ length: 49 }, (_, i) => ({ at: fiveMinutesApart(i), level: 50 })),
    }),
    status: 422,
    type: 'validation-failed',
    names: '/steps',
  },
  {
    case: 'an out-of-range level',
    method: 'PUT',
    path: '/profiles/night',
    body: profile({ onLevel: 101 }),
    status: 422,
    type: 'validation-failed',
    names: '/onLevel',
  },
  {
    case: 'an override naming 2,001 luminaires',
    method: 'POST',
    path: '/overrides',
    body: override({ target: { luminaires: ids(2001) } }),
    status: 422,
    type: 'validation-failed',
    names: '/target/luminaires',
  },
  {
    case: 'an override level out of range',
    method: 'POST',
    path: '/overrides',
    body: override({ level: 101 }),
    status: 422,
    type: 'validation-failed',
    names: '/level',
  },
  {
    case: 'an override ending before it starts',
    method: 'POST',
    path: '/overrides',
    body: override({ until: '2026-06-21T19:00:00Z' }),
    status: 422,
    type: 'validation-failed',
    names: '/until',
  },
  {
    case: '__proto__ as an override id',
    method: 'POST',
    path: '/overrides',
    body: override({ id: '__proto__' }),
    status: 422,
    type: 'validation-failed',
    names: '/id',
  },
  {
    case: 'a rule naming a reserved profile',
    method: 'PUT',
    path: '/calendar/rules/late',
    body: body({ profile: '__proto__', zones: ['cite'], priority: 20 }),
    status: 422,
    type: 'validation-failed',
    names: '/profile',
  },
  {
    case: 'a rule selecting too many zones',
    method: 'PUT',
    path: '/calendar/rules/late',
    body: body({ profile: 'cite', zones: ids(201), priority: 20 }),
    status: 422,
    type: 'validation-failed',
    names: '/zones',
  },
  {
    case: 'a 129-character street in a rule',
    method: 'PUT',
    path: '/calendar/rules/late',
    body: body({ profile: 'cite', streets: ['s'.repeat(129)], priority: 20 }),
    status: 422,
    type: 'validation-failed',
    names: '/streets/0',
  },
  {
    case: 'a rule naming an unknown profile',
    method: 'PUT',
    path: '/calendar/rules/late',
    body: body({ profile: 'nowhere', zones: ['cite'], priority: 20 }),
    status: 422,
    type: 'validation-failed',
  },
  // Tokens and roles
  { case: 'no token', method: 'GET', path: '/profiles', as: 'none', status: 401, type: 'unauthenticated' },
  {
    case: 'an expired token',
    method: 'PUT',
    path: '/profiles/night',
    as: 'expired',
    body: profile(),
    status: 401,
    type: 'unauthenticated',
  },
  {
    case: 'a token without exp',
    method: 'PUT',
    path: '/profiles/night',
    as: 'no exp',
    body: profile(),
    status: 401,
    type: 'unauthenticated',
  },
  {
    case: 'a blank zone claim',
    method: 'PUT',
    path: '/profiles/night',
    as: 'blank zones',
    body: profile(),
    status: 401,
    type: 'unauthenticated',
  },
  {
    case: 'a technician changing a rule outside their zone',
    method: 'PUT',
    path: '/calendar/rules/default',
    as: 'cite technician',
    body: body({ profile: 'cite', priority: 0 }),
    status: 403,
    type: 'forbidden',
  },
  // Concurrent edits
  {
    case: 'changing an existing profile without If-Match',
    method: 'PUT',
    path: '/profiles/cite',
    body: profile(),
    status: 428,
    type: 'precondition-required',
    names: 'If-Match',
  },
  {
    case: 'deleting an existing rule with a stale If-Match',
    method: 'DELETE',
    path: '/calendar/rules/cite',
    headers: { 'if-match': '"0000000000000000"' },
    status: 412,
    type: 'precondition-failed',
  },
  {
    case: 'finance changing a profile',
    method: 'PUT',
    path: '/profiles/night',
    as: 'finance',
    body: profile(),
    status: 403,
    type: 'forbidden',
  },
  // Reads
  {
    case: 'a century-wide audit range',
    method: 'GET',
    path: '/audit?from=1926-06-01T00:00:00Z&to=2026-06-01T00:00:00Z',
    status: 400,
    type: 'bad-request',
    names: 'from',
  },
  {
    case: 'a savings report in a CSV style the API does not write',
    method: 'GET',
    path: '/reports/savings?from=2026-06-01&to=2026-06-30&format=csv&csv=xlsx',
    as: 'finance',
    status: 400,
    type: 'bad-request',
    names: 'csv',
  },
  {
    case: 'a statement month that is not YYYY-MM',
    method: 'POST',
    path: '/statements/2026-13/close',
    as: 'finance',
    status: 400,
    type: 'bad-request',
    names: '{month}',
  },
  {
    case: 'a statement closed with an empty reason',
    method: 'POST',
    path: '/statements/2026-05/close',
    as: 'finance',
    body: body({ reason: '  ' }),
    status: 422,
    type: 'validation-failed',
    names: '/reason',
  },
  {
    case: 'a statement closed with a field the API does not know',
    method: 'POST',
    path: '/statements/2026-05/close',
    as: 'finance',
    body: body({ reasons: 'typo' }),
    status: 422,
    type: 'validation-failed',
  },
  {
    case: 'a statement closed by a technician',
    method: 'POST',
    path: '/statements/2026-05/close',
    status: 403,
    type: 'forbidden',
  },
  {
    case: 'a statement of a month not over yet',
    method: 'POST',
    path: '/statements/2026-06/close',
    as: 'finance',
    status: 409,
    type: 'conflict',
  },
  {
    case: 'a statement version that is not a number',
    method: 'GET',
    path: '/statements/2026-05?format=html&version=latest',
    as: 'finance',
    status: 400,
    type: 'bad-request',
    names: 'version',
  },
  {
    case: 'a statement in a format the API does not write',
    method: 'GET',
    path: '/statements/2026-05?format=pdf',
    as: 'finance',
    status: 400,
    type: 'bad-request',
    names: 'format',
  },
  // Utility readings and reconciliation (finance)
  {
    case: 'a utility export that is not a load curve',
    method: 'POST',
    path: '/utility-readings',
    as: 'finance',
    body: 'hello;world\n1;2\n',
    contentType: 'text/csv',
    status: 422,
    type: 'validation-failed',
  },
  {
    case: 'a utility export larger than the import limit',
    method: 'POST',
    path: '/utility-readings',
    as: 'finance',
    body: `PDL;timestamp;powerW\n${'x'.repeat(7 * 1024 * 1024)}`,
    contentType: 'text/csv',
    status: 413,
    type: 'payload-too-large',
  },
  {
    case: 'a utility export sent as JSON',
    method: 'POST',
    path: '/utility-readings',
    as: 'finance',
    body: body({ rows: [] }),
    status: 415,
    type: 'unsupported-media-type',
  },
  {
    case: 'a utility export naming a delivery point no cabinet has',
    method: 'POST',
    path: '/utility-readings',
    as: 'finance',
    body: 'PDL;timestamp;powerW\n20133033653418;15/01/2026 00:00;100\n',
    contentType: 'text/csv',
    status: 422,
    type: 'validation-failed',
  },
  {
    case: 'a technician importing utility readings',
    method: 'POST',
    path: '/utility-readings',
    body: 'PDL;timestamp;powerW\n',
    contentType: 'text/csv',
    status: 403,
    type: 'forbidden',
  },
  {
    case: 'a reconciliation without a period',
    method: 'GET',
    path: '/reconciliation',
    as: 'finance',
    status: 400,
    type: 'bad-request',
    names: 'from',
  },
  {
    case: 'a reconciliation from a date that does not exist',
    method: 'GET',
    path: '/reconciliation?from=2026-02-30&to=2026-03-10',
    as: 'finance',
    status: 400,
    type: 'bad-request',
    names: 'from',
  },
  {
    case: 'a reconciliation ending before it starts',
    method: 'GET',
    path: '/reconciliation?from=2026-03-10&to=2026-03-01',
    as: 'finance',
    status: 400,
    type: 'bad-request',
    names: 'to',
  },
  {
    case: 'a reconciliation over more than a year and a day',
    method: 'GET',
    path: '/reconciliation?from=2025-01-01&to=2026-03-01',
    as: 'finance',
    status: 400,
    type: 'bad-request',
    names: 'to',
  },
  {
    case: 'a reconciliation in a format the API does not write',
    method: 'GET',
    path: '/reconciliation?from=2026-01-01&to=2026-02-01&format=xlsx',
    as: 'finance',
    status: 400,
    type: 'bad-request',
    names: 'format',
  },
  {
    case: 'a technician reading the reconciliation',
    method: 'GET',
    path: '/reconciliation?from=2026-01-01&to=2026-02-01',
    status: 403,
    type: 'forbidden',
  },
  {
    case: 'a malformed audit cursor',
    method: 'GET',
    path: '/audit?cursor=not*a*cursor',
    status: 400,
    type: 'bad-request',
    names: 'cursor',
  },
  {
    case: 'an audit cursor this API did not write',
    method: 'GET',
    path: `/audit?cursor=${Buffer.from('{"pk":"SITE#other"}').toString('base64url')}`,
    status: 400,
    type: 'bad-request',
    names: 'cursor',
  },
  {
    case: 'a 3,000-character zone filter',
    method: 'GET',
    path: `/luminaires?zone=${'z'.repeat(3000)}`,
    status: 400,
    type: 'bad-request',
    names: 'zone',
  },
  {
    case: 'a 3,000-character alarm zone filter',
    method: 'GET',
    path: `/alarms?zone=${'z'.repeat(3000)}`,
    status: 400,
    type: 'bad-request',
    names: 'zone',
  },
  {
    case: 'an Idempotency-Key outside the safe characters',
    method: 'POST',
    path: '/overrides',
    body: override(),
    headers: { 'Idempotency-Key': 'retry me please!' },
    status: 400,
    type: 'bad-request',
    names: 'Idempotency-Key',
  },
  {
    case: "a zone-limited import taking over another zone's device by its thing name",
    method: 'POST',
    path: '/luminaires/import',
    as: 'cite technician',
    body: `${csvHeader.trimEnd()},thingName\nX-1,43.2,2.35,Rue B,cite,30,100,${STORED}-0000\n`,
    contentType: 'text/csv',
    status: 409,
    type: 'conflict',
  },
  {
    case: 'a cabinet whose delivery point is not 14 digits',
    method: 'POST',
    path: '/cabinets/import',
    body: 'id;lat;lon;zone;deliveryPointId;subscribedKva;tariffOption;controller\nA-1;43.2;2.35;cite;1234;36;ep;connected\n',
    contentType: 'text/csv',
    status: 422,
    type: 'validation-failed',
    names: 'row 2, column deliveryPointId',
  },
  {
    case: 'a cabinet whose tariff option is the option of no tariff of the config',
    method: 'POST',
    path: '/cabinets/import',
    body: 'id;lat;lon;zone;deliveryPointId;subscribedKva;tariffOption;controller\nA-1;43.2;2.35;cite;30001234567890;36;ep-c9;connected\n',
    contentType: 'text/csv',
    status: 422,
    type: 'validation-failed',
    names: 'cabinet A-1, tariffOption',
  },
  {
    case: "a clock cabinet's night cut that closes before it opens",
    method: 'POST',
    path: '/cabinets/import',
    body: 'id;lat;lon;zone;deliveryPointId;subscribedKva;tariffOption;controller;nightCut\nA-1;43.2;2.35;cite;30001234567890;36;ep;clock;05:00-23:00\n',
    contentType: 'text/csv',
    status: 422,
    type: 'validation-failed',
    names: 'row 2, column nightCut',
  },
  {
    case: 'a night cut on a connected cabinet',
    method: 'POST',
    path: '/cabinets/import',
    body: 'id;lat;lon;zone;deliveryPointId;subscribedKva;tariffOption;controller;nightCut\nA-1;43.2;2.35;cite;30001234567890;36;ep;connected;23:00-05:00\n',
    contentType: 'text/csv',
    status: 422,
    type: 'validation-failed',
    names: 'row 2, column nightCut',
  },
  {
    case: 'a luminaire naming a cabinet that is not in the inventory',
    method: 'POST',
    path: '/luminaires/import',
    body: `${csvHeader.trimEnd()},cabinet,controller\nX-1,43.2,2.35,Rue B,cite,30,100,NOPE,none\n`,
    contentType: 'text/csv',
    status: 422,
    type: 'validation-failed',
    names: 'row 2, column cabinet',
  },
  {
    case: 'site settings changed without If-Match',
    method: 'PUT',
    path: '/settings',
    as: 'admin',
    body: body({ site: { name: 'x', tariffEurPerKwh: 0.2, co2KgPerKwh: 0.05 }, presence: {}, planNights: 8 }),
    status: 428,
    type: 'precondition-required',
    names: 'If-Match',
  },
  {
    case: 'site settings changed by a technician',
    method: 'PUT',
    path: '/settings',
    body: body({}),
    status: 403,
    type: 'forbidden',
  },
  {
    case: 'a calendar month that does not exist',
    method: 'GET',
    path: '/calendar/month?month=2026-13',
    status: 400,
    type: 'bad-request',
    names: 'month',
  },
  {
    case: 'a compliance check of a night that is no date',
    method: 'GET',
    path: '/compliance?night=2026-02-30',
    status: 400,
    type: 'bad-request',
    names: 'night',
  },
  {
    case: 'a compliance check of a night before the order',
    method: 'GET',
    path: '/compliance?night=1999-06-21',
    status: 400,
    type: 'bad-request',
    names: 'night',
  },
  {
    case: 'a compliance check by finance',
    method: 'GET',
    path: '/compliance',
    as: 'finance',
    status: 403,
    type: 'forbidden',
  },
  {
    case: "a luminaire's energy over more than a year",
    method: 'GET',
    path: `/luminaires/${STORED}-0000/energy?from=2020-01-01&to=2026-01-01`,
    status: 400,
    type: 'bad-request',
    names: 'to',
  },
  {
    case: 'an inventory export in an unknown format',
    method: 'GET',
    path: '/luminaires/export?format=xml',
    status: 400,
    type: 'bad-request',
    names: 'format',
  },
  {
    case: "decommissioning another zone's luminaire",
    method: 'POST',
    path: `/luminaires/${STORED}-0000/decommission`,
    as: 'cite technician',
    body: body({ reason: 'pole knocked down' }),
    status: 403,
    type: 'forbidden',
  },
  {
    case: 'a sensor import with a latitude out of range',
    method: 'POST',
    path: '/sensors/import',
    body: body([{ id: 'S-1', lat: 95, lon: 2.35, street: 'Rue B', zone: 'bastide' }]),
    status: 422,
    type: 'validation-failed',
    names: '/0/lat',
  },
  {
    case: 'a live-state page cursor the API did not write',
    method: 'GET',
    path: '/luminaires/state?after=LUM%23x',
    status: 400,
    type: 'bad-request',
    names: 'after',
  },
  {
    case: 'a live-state page cursor the API did not write, asked for in the binary format',
    method: 'GET',
    path: '/luminaires/state?after=LUM%23x',
    headers: { accept: 'application/octet-stream' },
    status: 400,
    type: 'bad-request',
    names: 'after',
  },
  {
    case: "the live state of another zone's luminaires",
    method: 'GET',
    path: '/luminaires/state?zone=bastide',
    as: 'cite technician',
    status: 403,
    type: 'forbidden',
  },
  {
    case: 'the live state for finance',
    method: 'GET',
    path: '/luminaires/state',
    as: 'finance',
    status: 403,
    type: 'forbidden',
  },
  {
    case: 'a local sign-in with an unknown role',
    method: 'POST',
    path: '/local/sign-in',
    local: true,
    body: body({ role: 'mayor' }),
    status: 422,
    type: 'validation-failed',
    names: '/role',
  },
  {
    case: 'a local sign-in limited to a zone the inventory does not have',
    method: 'POST',
    path: '/local/sign-in',
    local: true,
    body: body({ role: 'technician', zones: ['cite', 'atlantis'] }),
    status: 422,
    type: 'validation-failed',
    names: '/zones/1',
  },
  {
    case: 'a local sign-in with more zones than any site has',
    method: 'POST',
    path: '/local/sign-in',
    local: true,
    body: body({ role: 'technician', zones: Array.from({ length: 201 }, () => 'cite') }),
    status: 422,
    type: 'validation-failed',
    names: '/zones',
  },
  {
    case: 'a local sign-in body that is not JSON',
    method: 'POST',
    path: '/local/sign-in',
    local: true,
    body: '{"role":',
    status: 400,
    type: 'bad-request',
  },
  {
    case: 'a local sign-in body over 16 KB',
    method: 'POST',
    path: '/local/sign-in',
    local: true,
    body: body({ role: 'technician', zones: ['x'.repeat(17_000)] }),
    status: 413,
    type: 'payload-too-large',
  },
  {
    case: 'an audit page too large',
    method: 'GET',
    path: '/audit?limit=100000',
    status: 400,
    type: 'bad-request',
    names: 'limit',
  },
  // Public routes (no token): query bounds and resident fault reports (at most 5 rows: one client's burst)
  {
    case: 'public schedules for a night that is not a date',
    method: 'GET',
    path: '/public/schedules?night=tonight',
    as: 'none',
    status: 400,
    type: 'bad-request',
    names: 'night',
  },
  {
    case: 'public schedules for an oversized zone name',
    method: 'GET',
    path: `/public/schedules?zone=${'z'.repeat(129)}`,
    as: 'none',
    status: 400,
    type: 'bad-request',
    names: 'zone',
  },
  {
    case: 'public schedules for a night and a month at once',
    method: 'GET',
    path: '/public/schedules?night=2026-06-01&month=2026-06',
    as: 'none',
    status: 400,
    type: 'bad-request',
    names: 'month',
  },
  {
    case: 'public schedules for a month that is not one',
    method: 'GET',
    path: '/public/schedules?month=2026-13',
    as: 'none',
    status: 400,
    type: 'bad-request',
    names: 'month',
  },
  {
    case: 'public schedules for a zone and a commune at once',
    method: 'GET',
    path: '/public/schedules?zone=cite&commune=Carcassonne',
    as: 'none',
    status: 400,
    type: 'bad-request',
    names: 'commune',
  },
  {
    case: 'public lit hours over more than a year',
    method: 'GET',
    path: '/public/lit-hours?from=2025-01-01&to=2026-06-01',
    as: 'none',
    status: 400,
    type: 'bad-request',
    names: 'to',
  },
  {
    case: 'public lit hours of one street for a single night',
    method: 'GET',
    path: '/public/lit-hours?from=2026-06-01&to=2026-06-01&groupBy=street',
    as: 'none',
    status: 400,
    type: 'bad-request',
    names: 'from',
  },
  {
    case: 'public lit hours in an unknown format',
    method: 'GET',
    path: '/public/lit-hours?format=xml',
    as: 'none',
    status: 400,
    type: 'bad-request',
    names: 'format',
  },
  {
    case: 'a fault report naming no place',
    method: 'POST',
    path: '/public/fault-reports',
    as: 'none',
    body: body({ description: 'dark', filledInSeconds: 30 }),
    status: 422,
    type: 'validation-failed',
    names: '/luminaire',
  },
  {
    case: 'a fault report with an oversized description',
    method: 'POST',
    path: '/public/fault-reports',
    as: 'none',
    body: body({ luminaire: `${STORED}-0000`, description: 'x'.repeat(1001), filledInSeconds: 30 }),
    status: 422,
    type: 'validation-failed',
    names: '/description',
  },
  {
    case: 'a fault report with a junk e-mail',
    method: 'POST',
    path: '/public/fault-reports',
    as: 'none',
    body: body({ luminaire: `${STORED}-0000`, description: 'dark', email: 'me@', filledInSeconds: 30 }),
    status: 422,
    type: 'validation-failed',
    names: '/email',
  },
  {
    case: 'a fault report sent faster than a person fills the form',
    method: 'POST',
    path: '/public/fault-reports',
    as: 'none',
    body: body({ luminaire: `${STORED}-0000`, description: 'dark', filledInSeconds: 0 }),
    status: 422,
    type: 'validation-failed',
    names: '/filledInSeconds',
  },
  // Map points, each from an address of its own (the header CloudFront's function sets).
  {
    case: 'a fault report with a map point outside the network',
    method: 'POST',
    path: '/public/fault-reports',
    as: 'none',
    headers: { 'x-viewer-address': '198.51.100.91' },
    body: body({ position: { lat: 48.8566, lon: 2.3522 }, description: 'dark', filledInSeconds: 30 }),
    status: 422,
    type: 'validation-failed',
    names: '/position',
  },
  {
    case: 'a fault report with both a pole number and a map point',
    method: 'POST',
    path: '/public/fault-reports',
    as: 'none',
    headers: { 'x-viewer-address': '198.51.100.92' },
    body: body({
      luminaire: `${STORED}-0000`,
      position: { lat: 43.2068, lon: 2.3644 },
      description: 'dark',
      filledInSeconds: 30,
    }),
    status: 422,
    type: 'validation-failed',
    names: '/position',
  },
  {
    case: 'a fault report with a junk map point',
    method: 'POST',
    path: '/public/fault-reports',
    as: 'none',
    headers: { 'x-viewer-address': '198.51.100.93' },
    body: body({ position: { lat: 'north', lon: 2.3644 }, description: 'dark', filledInSeconds: 30 }),
    status: 422,
    type: 'validation-failed',
    names: '/position/lat',
  },
  {
    case: 'a fault report body over 8 KB',
    method: 'POST',
    path: '/public/fault-reports',
    as: 'none',
    body: body({ description: 'x'.repeat(9000) }),
    status: 413,
    type: 'payload-too-large',
  },
];

/** A site priced by option: cabinets must name `ep-c5`. */
function withC5Tariff(config: Config): Config {
  const tariff = {
    id: 'ep-c5-2025',
    option: 'ep-c5',
    label: 'C5 base',
    validFrom: '2025-08-01',
    seasons: [
      {
        name: 'year',
        months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        periods: [{ name: 'base', eurPerKwh: 0.13, slots: [{ from: '00:00', to: '24:00' }] }],
      },
    ],
  };
  return { ...config, site: { ...config.site, tariffs: Tariffs.parse([tariff]) } };
}

let api: Awaited<ReturnType<typeof localApi>>;
let tokens: Record<Caller, string>;

beforeAll(async () => {
  api = await localApi(withC5Tariff(twoRuleConfig()), testLuminaires(4, STORED), NOW);
  const { key } = api;
  const [technician, citeTechnician, admin, finance, expired, noExp, blankZones] = await Promise.all([
    api.token(['technician']),
    api.token(['technician'], ['cite']),
    api.token(['admin']),
    api.token(['finance']),
    api.expiredToken(),
    signRawToken(key, { 'cognito:groups': ['admin'] }),
    signRawToken(key, { 'cognito:groups': ['technician'], 'custom:zones': ' , ' }, '1h'),
  ]);
  tokens = {
    technician,
    'cite technician': citeTechnician,
    admin,
    finance,
    none: '',
    expired,
    'no exp': noExp,
    'blank zones': blankZones,
  };
});
afterAll(() => api.stop());

/** Every item of the table, in key order: configuration, luminaires, audit log, push state. */
async function storedState(): Promise<unknown[]> {
  const { db, tableName } = api.table;
  const items = (await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
  return items.sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
}

describe('the API refuses bad input with a 4xx problem and stores nothing', () => {
  it.each(ROWS)('$case: $status $type', async (row) => {
    const before = await storedState();
    const response = await api.request(
      row.method,
      row.path,
      tokens[row.as ?? 'technician'],
      row.body,
      row.contentType,
      row.headers,
      row.local,
    );
    expect(response.type).toBe('application/problem+json');
    expect({ status: response.status, type: response.json.type }).toEqual({
      status: row.status,
      type: `urn:lumen-city:problem:${row.type}`,
    });
    if (row.names !== undefined) {
      const named = (response.json.errors ?? []).map(
        (e: { pointer?: string; name?: string }) => e.pointer ?? e.name,
      );
      expect(named).toContain(row.names);
    }
    expect(await storedState()).toEqual(before);
  });
});
