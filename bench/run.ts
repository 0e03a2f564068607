/**
 * Runs every `bench/*.bench.ts` in a child process of its own, one after the other (so they do not
 * compete for the CPU or share a heap), forwarding their output. Exits non-zero if any fails.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const benches = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .sort();

let failed = 0;
for (const bench of benches) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, bench)], {
    stdio: 'inherit',
    // Node 20 is the supported runtime here; the SDK's notice about its future releases is noise.
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (result.status !== 0) {
    failed++;
    console.error(`${bench}: failed (${result.signal ?? `exit ${result.status}`})`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
