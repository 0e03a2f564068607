#!/usr/bin/env node
// Makes a fresh clone runnable: installs the npm dependencies when they are missing, the Java
// runtime DynamoDB Local needs and the Chromium the console's browser tests drive. Plain Node with no dependencies, because it runs before `npm ci`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => process.stderr.write(`setup: ${line}\n`);

function has(command, args) {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  say('installing npm dependencies (npm ci)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

/** Installs a Debian package, or stops with `missing` when this is not a Debian-like system. */
function aptInstall(pkg, why, missing) {
  if (!has('apt-get', ['--version'])) {
    say(missing);
    process.exit(1);
  }
  say(`installing ${pkg} (${why})`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) =>
    execFileSync(sudo[0] ?? args[0], sudo.length ? args : args.slice(1), { stdio: 'inherit', env });
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', pkg]);
}

if (!has('java', ['-version'])) {
  aptInstall(
    'openjdk-17-jre-headless',
    'a Java runtime for DynamoDB Local',
    'Java is missing: install a Java 17+ runtime (DynamoDB Local needs it) and run again.',
  );
}

// Playwright's own browser download cannot run here: the browser tests drive Debian's Chromium.
if (!existsSync('/usr/bin/chromium')) {
  aptInstall(
    'chromium',
    "the browser the console's tests drive",
    'Chromium is missing: install it at /usr/bin/chromium (the browser tests drive it) and run again.',
  );
}
