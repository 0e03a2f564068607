import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/constructs/handler-function.ts';
import { addLightingStages } from '#infra/lighting-app.ts';
import { loadSettings, SettingsError } from '#infra/settings.ts';
import { BASE_CONTEXT, synthesize } from './synth.ts';

function settingsProblems(context: Record<string, unknown>): string[] {
  const app = new App({ context: { ...BASE_CONTEXT, ...context } });
  try {
    addLightingStages(app, REPO_ROOT);
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  return [];
}

describe('cdk-nag AwsSolutions checks', () => {
  const synthesized = synthesize();

  it('find nothing unacknowledged in the whole app', () => {
    expect(synthesized.violations).toEqual([]);
  });

  // With the region known, the stage has a third stack (its us-east-1 web ACL): a longer synth.
  it('find nothing unacknowledged when the account and region are known either', { timeout: 120_000 }, () => {
    expect(synthesize({}, { account: '123456789012', region: 'eu-west-3' }).violations).toEqual([]);
  });

  it('fail the synth when a resource breaks a rule (the checks really run)', () => {
    const app = new App({ context: BASE_CONTEXT, outdir: mkdtempSync(join(tmpdir(), 'lighting-cdk-')) });
    addLightingStages(app, REPO_ROOT);
    new CfnQueue(new Stack(app, 'careless'), 'PlainQueue', { sqsManagedSseEnabled: false });
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS2/);
  });

  it('carry a specific finding id and a reason with every acknowledgement', () => {
    const acknowledgements = synthesized.app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      // aws-cdk-lib acknowledges some CloudFormation-Validate findings of its own constructs itself.
      .filter(([id]) => !id.startsWith('CloudFormation-Validate::'));
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgements) {
      // IAM rules report one finding per policy, resource or action: acknowledge that one only.
      expect(id).toMatch(/(^|::)AwsSolutions-(IAM\d+\[(Resource|Policy|Action)::.+\]|(?!IAM)[A-Z]+\d+)$/);
      expect(reason.length, id).toBeGreaterThan(60);
    }
  });
});

describe('stages', () => {
  it('deploys a test and a production stage side by side, with stage-prefixed stack and resource names', () => {
    const app = new App({ context: { ...BASE_CONTEXT, stage: 'test,prod' } });
    const stages = addLightingStages(app, REPO_ROOT);
    expect(
      Object.values(stages)
        .flatMap((s) => [s.stateful.stackName, s.stateless.stackName])
        .sort(),
    ).toEqual([
      'prod-lighting-stateful',
      'prod-lighting-stateless',
      'test-lighting-stateful',
      'test-lighting-stateless',
    ]);
    expect(stages.prod?.stateful.terminationProtection).toBe(true);
  });

  it('rejects a bad stage name, naming the context key', () => {
    expect(settingsProblems({ stage: 'Prod!' })).toEqual([
      'context stage.0: each stage must match [a-z][a-z0-9-]{0,19}',
    ]);
    expect(settingsProblems({ stage: 'test,test' })).toEqual(['context stage: stages must be distinct']);
  });

  it('rejects a bad push time and log retention, one line per key', () => {
    expect(settingsProblems({ pushAt: '25:00', logRetentionDays: '12' })).toEqual([
      'context pushAt: expected a local wall-clock time "HH:MM" (00:00 to 23:59)',
      'context logRetentionDays: one of 7, 14, 30, 60, 90, 180, 365, 731',
    ]);
  });

  it('takes the ledger table’s provisioned capacity only as both write and read units, within the table quota', () => {
    expect(settingsProblems({ ledgerWriteCapacity: '400' })).toEqual([
      'context ledgerWriteCapacity: ledgerWriteCapacity and ledgerReadCapacity go together',
    ]);
    expect(settingsProblems({ ledgerWriteCapacity: 0, ledgerReadCapacity: 50_000 })).toEqual([
      'context ledgerWriteCapacity: Too small: expected number to be >=1',
      'context ledgerReadCapacity: Too big: expected number to be <=40000',
    ]);
  });

  it('validates the site config with the core schema and names the file and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lighting-site-'));
    const file = join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        site: {
          name: 'X',
          timezone: 'Mars/Olympus',
          latitude: 0,
          longitude: 0,
          tariffEurPerKwh: 0.2,
          co2KgPerKwh: 0,
        },
        profiles: {},
        calendar: [{ profile: 'p' }],
      }),
    );
    expect(settingsProblems({ siteConfig: file })).toEqual([
      `${file}: site.timezone: unknown IANA time zone`,
    ]);
    expect(settingsProblems({ siteConfig: join(dir, 'missing.json') })[0]).toMatch(/missing\.json: ENOENT/);
  });

  it('takes a console domain only with its us-east-1 certificate, and a valid Cognito domain prefix', () => {
    expect(settingsProblems({ consoleDomain: 'eclairage.example.fr' })).toEqual([
      'context consoleDomain: consoleDomain and consoleCertificateArn go together',
    ]);
    expect(
      settingsProblems({
        consoleDomain: 'eclairage.example.fr',
        consoleCertificateArn: 'arn:aws:acm:eu-west-3:123456789012:certificate/abc',
      }),
    ).toEqual(['context consoleCertificateArn: an ACM certificate ARN in us-east-1']);
    expect(settingsProblems({ authDomainPrefix: 'my-cognito-login' })).toEqual([
      'context authDomainPrefix: lower-case letters, digits and hyphens, 1-63, without "aws", "amazon" or "cognito"',
    ]);
    expect(settingsProblems({ mapStyleUrl: 'http://tiles.example.fr/style.json' })[0]).toMatch(
      /^context mapStyleUrl:/,
    );
  });

  it('derives the site id from the site name unless given', () => {
    const siteId = (context: Record<string, unknown>) =>
      loadSettings(new App({ context: { ...BASE_CONTEXT, ...context } }).node, REPO_ROOT).siteId;
    expect(siteId({})).toBe('carcassonne');
    expect(siteId({ siteId: 'carcassonne-agglo' })).toBe('carcassonne-agglo');
  });
});
