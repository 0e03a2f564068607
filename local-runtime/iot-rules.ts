/**
 * Runs AWS IoT topic rules locally: subscribes to the rule's topic filter on the local broker and
 * invokes the handler with the event the rule's SQL produces. Only the SQL forms this project's rules
 * use are understood (a list of payload keys, `topic(n) AS name` and `timestamp() AS name`; no `*`,
 * no WHERE); any other statement is refused at start-up rather than silently evaluated differently
 * from AWS.
 */

export type RuleHandler = (event: Record<string, unknown>) => Promise<unknown>;

interface Projection {
  readonly name: string;
  value(topic: string, now: number, body: Record<string, unknown>): unknown;
}

export interface CompiledRule {
  readonly topicFilter: string;
  /** Whether a topic matches the rule's filter (`+` one level, `#` the rest), as a Basic Ingest message must. */
  matches(topic: string): boolean;
  toEvent(topic: string, payload: Buffer, now: number): Record<string, unknown> | undefined;
}

const RULE = /^SELECT\s+(.+?)\s+FROM\s+'([^']+)'\s*$/i;
const TOPIC_FN = /^topic\((\d+)\)\s+AS\s+(\w+)$/i;
const TIMESTAMP_FN = /^timestamp\(\)\s+AS\s+(\w+)$/i;
const PAYLOAD_KEY = /^\w+$/;

export function compileRule(sql: string): CompiledRule {
  const match = RULE.exec(sql.trim());
  if (!match) throw new Error(`unsupported IoT rule SQL: ${sql}`);
  const [, select = '', topicFilter = ''] = match;
  const projections: Projection[] = select.split(',').map((raw) => {
    const part = raw.trim();
    const topicMatch = TOPIC_FN.exec(part);
    if (topicMatch) {
      const level = Number(topicMatch[1]);
      return { name: topicMatch[2] as string, value: (topic) => topic.split('/')[level - 1] };
    }
    const timestampMatch = TIMESTAMP_FN.exec(part);
    if (timestampMatch) return { name: timestampMatch[1] as string, value: (_topic, now) => now };
    if (PAYLOAD_KEY.test(part)) {
      return {
        name: part,
        value: (_topic, _now, body) => (Object.hasOwn(body, part) ? body[part] : undefined),
      };
    }
    throw new Error(`unsupported IoT rule SQL projection "${part}" in: ${sql}`);
  });
  const levels = topicFilter.split('/');
  return {
    topicFilter,
    matches(topic) {
      const parts = topic.split('/');
      for (const [i, level] of levels.entries()) {
        if (level === '#') return true;
        if (i >= parts.length || (level !== '+' && level !== parts[i])) return false;
      }
      return parts.length === levels.length;
    },
    toEvent(topic, payload, now) {
      let body: unknown;
      try {
        body = JSON.parse(payload.toString('utf8'));
      } catch {
        return undefined; // AWS IoT does not trigger a rule whose payload is not JSON
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
      const event: Record<string, unknown> = {};
      for (const projection of projections) {
        const value = projection.value(topic, now, body as Record<string, unknown>);
        // A key missing from the payload is Undefined in IoT SQL: AWS leaves it out of the event.
        if (value !== undefined) event[projection.name] = value;
      }
      return event;
    },
  };
}
