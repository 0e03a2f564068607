import { AsyncLocalStorage } from 'node:async_hooks';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Where the handlers' own output goes when they run in this process: their structured JSON logs
 * and CloudWatch EMF metric lines (one per metric value), which on AWS Lambda writes to CloudWatch
 * Logs. A local run would otherwise print thousands of them among its progress lines; here they
 * go to a file. What the handlers write is told apart from the rest of the process by async
 * context, so the process's own lines still reach the terminal.
 */
export interface FunctionOutput {
  /** The log file. */
  readonly path: string;
  /** The handler, with whatever it writes to stdout or stderr sent to the file. */
  of<H extends (event: never) => Promise<unknown>>(handler: H): H;
  /** Runs `call` as the process's own code, even when a handler called it (a notification to show). */
  outside<T>(call: () => T): T;
  /** Stops capturing, then closes the file. */
  close(): Promise<void>;
}

/** Appends to `path` (its directory made if need be) from now until `close`. */
export async function captureFunctionOutput(path: string, flags: 'a' | 'w'): Promise<FunctionOutput> {
  await mkdir(dirname(path), { recursive: true });
  const file = createWriteStream(path, { flags });
  const inHandler = new AsyncLocalStorage<true>();
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  for (const [i, stream] of streams.entries()) {
    const original = originals[i] as typeof stream.write;
    stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      if (inHandler.getStore() === undefined) return original.call(stream, chunk, ...rest);
      file.write(chunk);
      return true;
    }) as typeof stream.write;
  }
  return {
    path,
    of: (handler) => ((event: never) => inHandler.run(true, () => handler(event))) as typeof handler,
    outside: (call) => inHandler.exit(call),
    close() {
      for (const [i, stream] of streams.entries()) stream.write = originals[i] as typeof stream.write;
      return new Promise((resolve) => file.end(resolve));
    },
  };
}
