import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateThingCommand, DescribeEndpointCommand, ThrottlingException } from '@aws-sdk/client-iot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { command } from '#cli/commands/provision.ts';
import { fakeIot } from '../../functions/provisioning/fake-iot.ts';

let fake: ReturnType<typeof fakeIot>;
let dir: string;
let stdout: string;
let stderr: string;
beforeEach(() => {
  fake = fakeIot();
  dir = mkdtempSync(join(tmpdir(), 'lighting-provision-cli-'));
  writeFileSync(
    join(dir, 'luminaires.csv'),
    [
      'id,lat,lon,street,zone,ledWatts,baselineWatts,minLevel',
      'L-1,43.21,2.35,Rue Trivalle,bastide,30,150,10',
      'L-2,43.22,2.36,Rue Trivalle,bastide,30,150,10',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'sensors.json'),
    JSON.stringify([{ id: 'S-1', lat: 43.21, lon: 2.35, street: 'Rue Trivalle', zone: 'bastide' }]),
  );
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  fake.iot.restore();
});

const provision = (...extra: string[]) =>
  command.run([
    '--inventory',
    join(dir, 'luminaires.csv'),
    '--sensors',
    join(dir, 'sensors.json'),
    '--stage',
    'prod',
    '--out',
    join(dir, 'devices'),
    '--region',
    'eu-west-3',
    ...extra,
  ]);

describe('lighting provision', () => {
  it('--dry-run prints the steps per device in the stage groups and registers nothing', async () => {
    expect(await provision('--dry-run')).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      'L-1: would create thing; add to thing group lighting-prod-luminaires; create certificate and key; attach policy lighting-prod-luminaire; attach certificate to thing; write connection.json',
    );
    expect(lines[2]).toContain('S-1: would create thing; add to thing group lighting-prod-sensors;');
    expect(lines[3]).toBe(
      'dry run: 3 devices: 3 would change, 0 up to date, 0 failed (things created: 3, certificates created: 3)',
    );
    expect(fake.iot.commandCalls(CreateThingCommand)).toHaveLength(0);
    expect(readdirSync(dir).sort()).toEqual(['luminaires.csv', 'sensors.json']);
  });

  it('provisions, then reports everything up to date on the second run', async () => {
    expect(await provision()).toBe(0);
    expect(stdout).toBe(
      '3 devices: 3 changed, 0 up to date, 0 failed (things created: 3, certificates created: 3)\n',
    );
    stdout = '';
    expect(await provision()).toBe(0);
    expect(stdout).toBe(
      '3 devices: 0 changed, 3 up to date, 0 failed (things created: 0, certificates created: 0)\n',
    );
  });

  it('exits 2 naming the flag when the stage is not a deployable stage name', async () => {
    expect(await provision('--stage', 'Prod Stage')).toBe(2);
    expect(stderr).toContain('lighting provision: --stage: a stage name as deployed');
  });

  it('exits 1 naming the file and field of a bad sensor, before touching AWS', async () => {
    writeFileSync(
      join(dir, 'sensors.json'),
      JSON.stringify([{ id: 'S 1', lat: 43, lon: 2, street: 'x', zone: 'y' }]),
    );
    expect(await provision()).toBe(1);
    expect(stderr).toBe(
      `${join(dir, 'sensors.json')}: [0].id: sensor id must be 1-64 characters of [a-zA-Z0-9:_-]\n`,
    );
    expect(fake.iot.calls()).toHaveLength(0);
  });

  it('exits 1 when a sensor and a luminaire share a thing name', async () => {
    writeFileSync(
      join(dir, 'sensors.json'),
      JSON.stringify([{ id: 'L-1', lat: 43, lon: 2, street: 'x', zone: 'y' }]),
    );
    expect(await provision()).toBe(1);
    expect(stderr).toContain('thing name "L-1" is used by more than one device');
  });

  it('exits 1 with one line when AWS cannot be reached or refuses (credentials, region, permissions)', async () => {
    fake.iot
      .on(DescribeEndpointCommand)
      .rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
    expect(await provision()).toBe(1);
    expect(stderr).toBe('lighting provision: AccessDeniedException: User is not authorized\n');
    expect(fake.writes()).toEqual([]);
  });

  it('reports a device AWS refused, provisions the others and exits 1', async () => {
    fake.iot
      .on(CreateThingCommand, { thingName: 'L-2' })
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));
    expect(await provision('--concurrency', '1')).toBe(1);
    expect(stdout).toBe(
      '3 devices: 2 changed, 0 up to date, 1 failed (things created: 2, certificates created: 2)\n',
    );
    expect(stderr).toBe('lighting provision: L-2: ThrottlingException: Rate exceeded\n');
  });
});
