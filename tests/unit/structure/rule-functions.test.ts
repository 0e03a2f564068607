import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { functionsTriggeredBy, iotRules } from '#functions/registry.ts';
import type { IotRule } from '#protocol/iot-rules.ts';

/**
 * A rule-triggered function is three files: its message's module in protocol/messages/ (schema,
 * the event the rule hands over, topic and filter, the IotRule), its handler, its registry entry.
 * Everything else (stack, device policies, monitoring, local runtime) derives the rules from the
 * registry. These tests fail when a rule is written anywhere else, the old way.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const MESSAGES = 'protocol/messages';
const REGISTRY = 'functions/registry.ts';

type Exports = Record<string, unknown>;

const isRule = (value: unknown): value is IotRule =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as IotRule).sql === 'string' &&
  typeof (value as IotRule).publisher === 'string' &&
  typeof (value as IotRule).topic === 'function';

async function modulesIn(folder: string): Promise<Map<string, Exports>> {
  const files = readdirSync(join(root, folder)).filter((file) => file.endsWith('.ts'));
  const loaded = await Promise.all(
    files.map(async (file) => {
      const path = posix.join(folder, file);
      return [path, (await import(pathToFileURL(join(root, path)).href)) as Exports] as const;
    }),
  );
  return new Map(loaded);
}

const messageModules = await modulesIn(MESSAGES);
const sharedProtocolModules = await modulesIn('protocol');

/** The rule's topic filter and the event fields it selects (`topic(n) AS x` and `f() AS x` select x). */
function parseRule(sql: string): { filter: string; fields: string[]; topicLevels: Map<string, number> } {
  const match = /^SELECT (.+) FROM '([^']+)'$/.exec(sql);
  if (match === null) throw new Error(`not a rule SQL: ${sql}`);
  const topicLevels = new Map<string, number>();
  const fields = (match[1] ?? '').split(', ').map((part) => {
    const alias = / AS (\w+)$/.exec(part)?.[1] ?? part;
    const level = /^topic\((\d+)\)/.exec(part)?.[1];
    if (level !== undefined) topicLevels.set(alias, Number(level));
    return alias;
  });
  return { filter: match[2] ?? '', fields, topicLevels };
}

const sameKeys = (schema: unknown, fields: readonly string[]): boolean =>
  schema instanceof z.ZodObject && [...Object.keys(schema.shape)].sort().join() === [...fields].sort().join();

/** The source files of the app: the targets of the package.json `imports` aliases, tests aside. */
function sourceFiles(): string[] {
  const { imports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    imports: Record<string, string>;
  };
  const folders = Object.values(imports)
    .map((target) => target.replace(/^\.\//, '').replace(/\/\*$/, ''))
    .filter((folder) => folder !== 'tests' && !folder.startsWith('tests/'));
  return folders.flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
      .map((path) => posix.join(folder, ...path.split(/[\\/]/)))
      .filter((path) => /\.tsx?$/.test(path))
      .filter((path) => statSync(join(root, path)).isFile()),
  );
}

/** Each `import … from` of a file: the module it names (repository path) and the names it takes (`*` for all). */
function importsOf(file: string): { module: string; names: string[] }[] {
  const source = readFileSync(join(root, file), 'utf8');
  const statement = /\b(?:import|export)\s+(?:type\s+)?(\{[^}]*\}|\*(?:\s+as\s+\w+)?)\s+from\s+'([^']+)'/g;
  return [...source.matchAll(statement)].map(([, clause = '', specifier = '']) => {
    const module = specifier.startsWith('#protocol/')
      ? specifier.replace(/^#/, '')
      : specifier.startsWith('.')
        ? relative(root, join(root, dirname(file), specifier))
            .split(/[\\/]/)
            .join('/')
        : specifier;
    const names = clause.startsWith('*')
      ? ['*']
      : clause
          .slice(1, -1)
          .split(',')
          .map(
            (name) =>
              name
                .replace(/^\s*type\s+/, '')
                .split(/\s+as\s+/)[0]
                ?.trim() ?? '',
          )
          .filter((name) => name !== '');
    return { module, names };
  });
}

describe('rule-triggered functions: the message module, the handler, the registry entry', () => {
  it('takes every IoT rule of the registry from a protocol/messages module', () => {
    const ruleFunctions = [...functionsTriggeredBy('iot-rule'), ...functionsTriggeredBy('iot-stream')];
    const homeless = ruleFunctions
      .filter(
        ({ trigger }) =>
          ![...messageModules.values()].some((exports) => Object.values(exports).includes(trigger.rule)),
      )
      .map((fn) => fn.name);
    expect(homeless).toEqual([]);
    expect(ruleFunctions.length).toBeGreaterThan(0);
  });

  it.each([...messageModules.keys()])(
    '%s holds its whole message: one rule, its topic builder and filter, the event schema it selects',
    (path) => {
      const exports = messageModules.get(path) ?? {};
      const rules = Object.values(exports).filter(isRule);
      expect(rules).toHaveLength(1);
      const [rule] = rules as [IotRule];
      const { filter, fields } = parseRule(rule.sql);
      const values = Object.values(exports);
      expect(values, 'the topic builder').toContain(rule.topic);
      expect(values, 'the topic filter').toContain(filter);
      expect(
        values.some((value) => sameKeys(value, fields)),
        'a schema of exactly the fields the rule selects',
      ).toBe(true);
      expect(iotRules(), 'a registry function takes the rule').toContain(rule);
    },
  );

  it.each([...messageModules.keys()])(
    "%s: the device id the rule reads from the topic is the id in the publisher's topic",
    (path) => {
      const rule = Object.values(messageModules.get(path) ?? {}).find(isRule);
      if (rule === undefined) throw new Error(`${path} exports no rule`);
      const { filter, topicLevels } = parseRule(rule.sql);
      const topic = rule.topic('DEVICE-1').split('/');
      const pattern = filter.split('/');
      expect(topic).toHaveLength(pattern.length);
      expect(pattern.every((level, i) => level === '+' || level === topic[i])).toBe(true);
      expect([...topicLevels.values()].map((level) => topic[level - 1])).toEqual(['DEVICE-1']);
    },
  );

  it('defines no rule, rule SQL or rule event outside protocol/messages', () => {
    const rules = iotRules().map((rule) => ({ rule, ...parseRule(rule.sql) }));
    const strays = [...sharedProtocolModules].flatMap(([path, exports]) =>
      Object.entries(exports)
        .filter(
          ([, value]) =>
            isRule(value) ||
            rules.some(
              ({ rule, filter, fields }) => value === rule.sql || value === filter || sameKeys(value, fields),
            ),
        )
        .map(([name]) => `${path}: ${name}`),
    );
    const ruleSqlCalls = sourceFiles()
      .filter((file) => !file.startsWith(`${MESSAGES}/`) && file !== 'protocol/iot-rules.ts')
      .filter((file) => /\bruleSql\s*\(/.test(readFileSync(join(root, file), 'utf8')));
    expect([...strays, ...ruleSqlCalls]).toEqual([]);
  });

  it('lets only the registry take a rule: the stack, policies, monitoring and local runtime read it from there', () => {
    const ruleExports = new Map(
      [...messageModules].map(([path, exports]) => [
        path,
        new Set(
          Object.entries(exports)
            .filter(([, value]) => isRule(value) || iotRules().some((rule) => rule.sql === value))
            .map(([name]) => name),
        ),
      ]),
    );
    const takers = sourceFiles()
      .filter((file) => file !== REGISTRY)
      .flatMap((file) =>
        importsOf(file)
          .filter(({ module, names }) => {
            const rulesThere = ruleExports.get(module);
            return rulesThere !== undefined && names.some((name) => name === '*' || rulesThere.has(name));
          })
          .map(({ module }) => `${file} imports the rule of ${module}`),
      );
    expect(takers).toEqual([]);
  });
});
