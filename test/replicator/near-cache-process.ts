import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ChangeEvent, EvaluationContext } from '../../src/server/index';

export interface ReaderMessage {
  type: 'ready' | 'answers' | 'invalidated' | 'change' | 'subscriber';
  id?: number;
  answers?: boolean[];
  event?: ChangeEvent;
  live?: boolean;
}

export interface ReaderProcessOptions {
  redisUrl: string;
  prefix: string;
  apiUrl: string;
  healthUrl?: string;
  /** Where its pub/sub connection goes (a proxy); straight to Redis when omitted. */
  subscriberUrl?: string;
  /** Checks it answers right after each change it hears. */
  watch?: [EvaluationContext, string][];
  mode?: 'replicator' | 'datastream';
}

/** Drives near-cache-child.ts in its own OS process: asks it for answers, and sees what it hears. */
export class ReaderProcess {
  /** Every message it sent, in order. */
  readonly messages: ReaderMessage[] = [];
  /** Its Redis connections' CLIENT name. */
  readonly name = `near-cache-reader-${randomUUID().slice(0, 8)}`;
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();
  private nextId = 1;

  constructor(options: ReaderProcessOptions) {
    const env = {
      ...process.env,
      REDIS_URL: options.redisUrl,
      PREFIX: options.prefix,
      API_URL: options.apiUrl,
      CLIENT_NAME: this.name,
      MODE: options.mode ?? 'replicator',
      WATCH: JSON.stringify(options.watch ?? []),
      ...(options.healthUrl ? { HEALTH_URL: options.healthUrl } : {}),
      ...(options.subscriberUrl ? { SUB_URL: options.subscriberUrl } : {}),
    };
    this.child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./near-cache-child.ts', import.meta.url))], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.messages.push(JSON.parse(line) as ReaderMessage);
      for (const wake of this.waiters) wake();
    });
  }

  /** Where the message log stands now: pass it to `until` to wait only for later messages. */
  mark(): number {
    return this.messages.length;
  }

  /** The first message from `from` on that matches, waiting for it up to `ms`. */
  until(matches: (message: ReaderMessage) => boolean, from = 0, ms = 10_000): Promise<ReaderMessage> {
    return new Promise((resolve, reject) => {
      const look = () => {
        const found = this.messages.slice(from).find(matches);
        if (!found) return;
        this.waiters.delete(look);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(look);
        reject(new Error(`reader process: no matching message within ${ms} ms`));
      }, ms);
      this.waiters.add(look);
      look();
    });
  }

  ready(): Promise<ReaderMessage> {
    return this.until((m) => m.type === 'ready', 0, 20_000);
  }

  /** Its answers to checks it runs once this call is made. */
  async check(checks: [EvaluationContext, string][]): Promise<boolean[]> {
    const id = this.send({ op: 'check', checks });
    return (await this.until((m) => m.type === 'answers' && m.id === id)).answers ?? [];
  }

  async invalidate(change: ChangeEvent): Promise<void> {
    const id = this.send({ op: 'invalidate', change });
    await this.until((m) => m.type === 'invalidated' && m.id === id);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin?.end();
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  }

  private send(command: object): number {
    const id = this.nextId++;
    this.child.stdin?.write(`${JSON.stringify({ id, ...command })}\n`);
    return id;
  }
}
