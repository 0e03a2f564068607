import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureFunctionOutput } from '#local-runtime/function-output.ts';

let dir: string;
let terminal: string[];
let restoreTerminal: () => void;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'function-output-'));
  // What reaches the terminal: recorded in place of the real stdout for the test's span.
  terminal = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => {
    terminal.push(chunk);
    return true;
  }) as typeof process.stdout.write;
  restoreTerminal = () => {
    process.stdout.write = write;
  };
});

afterEach(async () => {
  restoreTerminal();
  await rm(dir, { recursive: true, force: true });
});

describe('captureFunctionOutput', () => {
  it('sends what a handler writes, across its awaits, to the file and the rest to the terminal', async () => {
    const output = await captureFunctionOutput(join(dir, 'logs', 'functions.log'), 'a');
    const handler = output.of(async (event: string) => {
      process.stdout.write(`{"_aws":{},"event":"${event}"}\n`);
      await new Promise((resolve) => setTimeout(resolve, 1));
      process.stdout.write('{"level":"WARN"}\n');
    });
    await Promise.all([handler('a'), Promise.resolve().then(() => process.stdout.write('progress\n'))]);
    await output.close();
    expect(terminal).toEqual(['progress\n']);
    expect(await readFile(output.path, 'utf8')).toBe('{"_aws":{},"event":"a"}\n{"level":"WARN"}\n');
  });

  it('lets a handler reach the terminal through outside, and writes nothing more once closed', async () => {
    const output = await captureFunctionOutput(join(dir, 'functions.log'), 'w');
    await output.of(async () => {
      output.outside(() => process.stdout.write('notified\n'));
    })();
    await output.close();
    process.stdout.write('after\n');
    expect(terminal).toEqual(['notified\n', 'after\n']);
    expect(await readFile(output.path, 'utf8')).toBe('');
  });

  it('appends to the log a restart keeps', async () => {
    const path = join(dir, 'functions.log');
    for (const run of ['first', 'second']) {
      const output = await captureFunctionOutput(path, 'a');
      await output.of(async () => {
        process.stdout.write(`${run}\n`);
      })();
      await output.close();
    }
    expect(await readFile(path, 'utf8')).toBe('first\nsecond\n');
  });
});
