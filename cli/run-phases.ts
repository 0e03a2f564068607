/**
 * Real and CPU time of each phase of a run, for the line `lighting start --nights` ends with: where
 * the minutes go (plan push, connections, the nights with their waits for ingest, the report), and
 * how much of them this process computed (CPU time does not grow with the machine's load).
 */
export interface RunPhases {
  /** The phase running now. */
  readonly current: string;
  /** Ends the current phase and starts `name`. */
  enter(name: string): void;
  /** `name real s (CPU s)` per phase so far, then the total. */
  summary(): string;
}

interface Phase {
  readonly name: string;
  readonly realMs: number;
  readonly cpuMs: number;
}

const processCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

export function runPhases(
  first: string,
  realNowMs: () => number = () => performance.now(),
  cpuNowMs: () => number = processCpuMs,
): RunPhases {
  const done: Phase[] = [];
  let current = first;
  let realStart = realNowMs();
  let cpuStart = cpuNowMs();
  const close = () => {
    const [real, cpu] = [realNowMs(), cpuNowMs()];
    done.push({ name: current, realMs: real - realStart, cpuMs: cpu - cpuStart });
    [realStart, cpuStart] = [real, cpu];
  };
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  return {
    get current() {
      return current;
    },
    enter(name) {
      close();
      current = name;
    },
    summary() {
      close();
      const total = done.reduce((sum, p) => ({ realMs: sum.realMs + p.realMs, cpuMs: sum.cpuMs + p.cpuMs }), {
        realMs: 0,
        cpuMs: 0,
      });
      return [...done, { name: 'total', ...total }]
        .map((p) => `${p.name} ${seconds(p.realMs)} s (CPU ${seconds(p.cpuMs)} s)`)
        .join(', ');
    },
  };
}
