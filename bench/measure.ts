/**
 * A small interleaved benchmark harness. Tasks run in rounds, one batch each per round, so a noisy
 * neighbour slows every task alike and the ratios between them stay meaningful. Each figure is the median
 * over rounds of (batch time / batch size).
 */
export interface Task {
  name: string;
  /** One operation; `i` rotates through the inputs. Async operations are awaited one by one. */
  run: (i: number) => unknown;
  async?: boolean;
}

export interface Measurement {
  name: string;
  nsPerOp: number;
  p10: number;
  p90: number;
  ops: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

async function runBatch(task: Task, batch: number, offset: number): Promise<number> {
  const start = process.hrtime.bigint();
  if (task.async) {
    for (let i = 0; i < batch; i++) await task.run(offset + i);
  } else {
    let sink: unknown;
    for (let i = 0; i < batch; i++) sink = task.run(offset + i);
    if (sink === Symbol.for('never')) throw new Error('unreachable');
  }
  return Number(process.hrtime.bigint() - start) / batch;
}

export async function measure(tasks: Task[], { rounds = 30, targetBatchMs = 20 } = {}): Promise<Measurement[]> {
  // Size each task's batch so one batch takes about targetBatchMs, after a warm-up.
  const batches = new Map<Task, number>();
  for (const task of tasks) {
    let batch = 16;
    for (;;) {
      const ns = await runBatch(task, batch, 0);
      if (ns * batch > targetBatchMs * 1e6 || batch > 1e7) break;
      batch *= 4;
    }
    batches.set(task, batch);
  }
  const samples = new Map<Task, number[]>(tasks.map((t) => [t, []]));
  for (let round = 0; round < rounds; round++) {
    for (const task of tasks) samples.get(task)?.push(await runBatch(task, batches.get(task) ?? 1, round * 7919));
  }
  return tasks.map((task) => {
    const sorted = (samples.get(task) ?? []).sort((a, b) => a - b);
    return { name: task.name, nsPerOp: quantile(sorted, 0.5), p10: quantile(sorted, 0.1), p90: quantile(sorted, 0.9), ops: rounds * (batches.get(task) ?? 0) };
  });
}

export function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}
