import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  FUNCTIONS,
  fleetReportingFunction,
  functionNamed,
  functionsTriggeredBy,
} from '#functions/registry.ts';
import { REPO_ROOT } from '#infra/constructs/handler-function.ts';
import { stageNames } from '#infra/names.ts';
import { compileRule } from '#local-runtime/iot-rules.ts';
import { TELEMETRY_RULE } from '#protocol/messages/telemetry.ts';

describe('function registry', () => {
  it('names each function once', () => {
    const names = FUNCTIONS.map((fn) => fn.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(FUNCTIONS.map((fn) => [fn.name, fn.entry]))(
    '%s: its entry %s exists and exports the Lambda handler and its wiring',
    async (_name, entry) => {
      const file = join(REPO_ROOT, entry);
      expect(existsSync(file)).toBe(true);
      const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      expect(typeof module.handler).toBe('function');
      expect(typeof module.wire).toBe('function');
    },
  );

  it('gives every rule-triggered function SQL the local rule runner evaluates and a valid topic rule name', () => {
    for (const fn of [...functionsTriggeredBy('iot-rule'), ...functionsTriggeredBy('iot-stream')]) {
      expect(() => compileRule(fn.trigger.rule.sql), fn.name).not.toThrow();
      expect(stageNames('test').topicRule(fn.name)).toMatch(/^[a-zA-Z0-9_]{1,128}$/);
    }
  });

  it("watches the telemetry rule for luminaires not reporting: it carries every luminaire's periodic reports", () => {
    expect(fleetReportingFunction().trigger.rule).toBe(TELEMETRY_RULE);
  });

  it('finds a function by name and trigger kind, and refuses one of another kind', () => {
    expect(functionNamed('plan-push-chunk', 'queue').trigger.queue).toBe('plan-push');
    expect(() => functionNamed('plan-push-chunk', 'schedule')).toThrow(/no schedule function named/);
  });
});
