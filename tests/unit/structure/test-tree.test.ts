import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const unit = join(root, 'tests/unit');

/** The tests of the layout itself, which exercise no one source folder. */
const LAYOUT_TESTS = 'structure';

/** Source folders are the targets of the package.json `imports` aliases, tests/ aside. */
function sourceRoots(): string[] {
  const { imports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    imports: Record<string, string>;
  };
  return Object.values(imports)
    .map((target) => target.replace(/^\.\//, '').replace(/\/\*$/, ''))
    .filter((folder) => folder !== 'tests' && !folder.startsWith('tests/'));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((path) => posix.join(...path.split(/[\\/]/)))
    .filter((path) => statSync(join(dir, path)).isFile());
}

describe('the test tree', () => {
  it('mirrors the source tree: every folder of tests/unit is a source folder', () => {
    const roots = sourceRoots();
    const folders = new Set(filesUnder(unit).map((file) => posix.dirname(file)));
    const strays = [...folders].filter((folder) => {
      if (folder === LAYOUT_TESTS || folder.startsWith(`${LAYOUT_TESTS}/`)) return false;
      const inSource = roots.some((r) => folder === r || folder.startsWith(`${r}/`));
      return !inSource || !existsSync(join(root, folder));
    });
    expect(strays.map((folder) => posix.join('tests/unit', folder))).toEqual([]);
  });

  it('keeps unit helpers to unit tests: no other test imports from tests/unit', () => {
    const tests = join(root, 'tests');
    const outside = filesUnder(tests).filter(
      (file) => !file.startsWith('unit/') && /\.[cm]?[jt]sx?$/.test(file),
    );
    const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\bvi\.\w+\s*\(\s*)['"]([^'"\n]+)['"]/g;
    const reaching = outside.flatMap((file) =>
      [...readFileSync(join(tests, file), 'utf8').matchAll(specifier)]
        .map((m) => m[1] ?? '')
        .filter((s) =>
          s.startsWith('.')
            ? relative(unit, join(dirname(join(tests, file)), s)).split(/[\\/]/)[0] !== '..'
            : s.startsWith('#tests/unit/'),
        )
        .map((s) => `tests/${file}: ${s}`),
    );
    expect(reaching).toEqual([]);
  });

  it('mocks no module in a unit test: unit files share their modules (isolate: false), so fakes are injected', () => {
    const mocking = filesUnder(unit)
      .filter((file) => /\.test\.tsx?$/.test(file))
      .filter((file) => /\bvi\.(?:mock|doMock)\s*\(/.test(readFileSync(join(unit, file), 'utf8')))
      .map((file) => posix.join('tests/unit', file));
    expect(mocking).toEqual([]);
  });
});
