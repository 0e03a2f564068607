#!/usr/bin/env node
// Makes a fresh clone runnable: installs the npm dependencies when they are missing and the Java
// runtime DynamoDB Local needs. Plain Node with no dependencies, because it runs before `npm ci`.
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

if (!has('java', ['-version'])) {
  const isRoot = process.getuid?.() === 0;
  if (!has('apt-get', ['--version'])) {
    say('Java is missing: install a Java 17+ runtime (DynamoDB Local needs it) and run again.');
    process.exit(1);
  }
  say('installing a Java runtime for DynamoDB Local (openjdk-17-jre-headless)');
  const sudo = isRoot ? [] : ['sudo'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) =>
    execFileSync(sudo[0] ?? args[0], sudo.length ? args : args.slice(1), { stdio: 'inherit', env });
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', 'openjdk-17-jre-headless']);
}
