import { vi } from 'vitest';
import type { Command } from '#cli/command.ts';

/** Runs a `lighting` command in-process, capturing what it writes. */
export async function runCommand(
  command: Command,
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await command.run(argv), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}
