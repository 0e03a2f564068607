import { ensureConsoleBuilt } from '#local-runtime/console-build.ts';

/** One build for every browser test file, before any starts (a build empties console/dist). */
export default async function setup(): Promise<void> {
  await ensureConsoleBuilt((message) => process.stderr.write(`browser tests: ${message}\n`));
}
