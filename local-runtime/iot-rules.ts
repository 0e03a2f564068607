/**
 * Runs AWS IoT topic rules locally: subscribes to the rule's topic filter on the local broker and
 * invokes the handler with the event the rule's SQL produces. Only the SQL forms this project's rules
 * use are understood (`SELECT *` plus `topic(n) AS name` / `timestamp() AS name`, no WHERE); any other
 * statement is refused at start-up rather than silently evaluated differently from AWS.
 */

export type RuleHandler = (event: Record<string, unknown>) => Promise<unknown>;

interface Projection {
  readonly name: string;
  value(topic: string, now: number): unknown;
}

export interface CompiledRule {
  readonly topicFilter: string;
  toEvent(topic: string, payload: Buffer, now: number): Record<string, unknown> | undefined;
}

const RULE = /^SELECT\s+(.+?)\s+FROM\s+'([^']+)'\s*$/i;
const TOPIC_FN = /^topic\((\d+)\)\s+AS\s+(\w+)$/i;
const TIMESTAMP_FN = /^timestamp\(\)\s+AS\s+(\w+)$/i;

export function compileRule(sql: string): CompiledRule {
  const match = RULE.exec(sql.trim());
  if (!match) throw new Error(`unsupported IoT rule SQL: ${sql}`);
  const [, select = '', topicFilter = ''] = match;
  const parts = select.split(',').map((p) => p.trim());
  if (parts[0] !== '*') throw new Error(`unsupported IoT rule SQL (must select *): ${sql}`);
  const projections: Projection[] = parts.slice(1).map((part) => {
    const topicMatch = TOPIC_FN.exec(part);
    if (topicMatch) {
      const level = Number(topicMatch[1]);
      return { name: topicMatch[2] as string, value: (topic) => topic.split('/')[level - 1] };
    }
    const timestampMatch = TIMESTAMP_FN.exec(part);
    if (timestampMatch) return { name: timestampMatch[1] as string, value: (_topic, now) => now };
    throw new Error(`unsupported IoT rule SQL projection "${part}" in: ${sql}`);
  });
  return {
    topicFilter,
    toEvent(topic, payload, now) {
      let body: unknown;
      try {
        body = JSON.parse(payload.toString('utf8'));
      } catch {
        return undefined; // AWS IoT does not trigger a rule whose SELECT * payload is not JSON
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
      const event: Record<string, unknown> = { ...(body as Record<string, unknown>) };
      for (const projection of projections) event[projection.name] = projection.value(topic, now);
      return event;
    },
  };
}
