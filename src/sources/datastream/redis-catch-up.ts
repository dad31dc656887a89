import type { WireCompany, WireUser } from '../../evaluators/schematic/engine';
import { InvalidEntityError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { DataStreamEntity } from './datastream-client';

type Keys = Readonly<Record<string, string>>;

/** A write to Redis that failed, kept to be done again: the newest of each entity, or the flag set. */
export type MissedWrite =
  | { readonly what: 'flags' }
  | { readonly what: 'put'; readonly kind: DataStreamEntity; readonly entity: WireCompany | WireUser }
  | { readonly what: 'delete'; readonly kind: DataStreamEntity; readonly id: string; readonly keys: Keys }
  /** A partial that could not be merged: only the server has the whole entity now, so it is asked again. */
  | { readonly what: 'refetch'; readonly kind: DataStreamEntity; readonly id: string };

export interface RedisCatchUpOptions {
  /** One cheap Redis command: resolving means Redis answers again. */
  probe(): Promise<unknown>;
  /**
   * Does the missed writes again, each the newest version the stream sent. Runs in order with the stream's
   * frames; throws when Redis fails again (they are kept, and tried once Redis answers again).
   */
  replay(missed: readonly MissedWrite[]): Promise<void>;
  /** Starts over from the server (reconnects the stream), for more misses than are worth keeping. */
  resyncAll(): Promise<void>;
  /** Called when catching up starts and when it is done. */
  onBehindChange?(behind: boolean): void;
  logger: Logger;
  /** How often a Redis that failed is tried again, in ms. @default 500 */
  probeIntervalMs?: number;
  /** Entities kept to write again; past it, everything is resynced from the server. @default 100,000 */
  maxMissed?: number;
}

export const DEFAULT_CATCH_UP_PROBE_MS = 500;
export const DEFAULT_MAX_MISSED_WRITES = 100_000;

/**
 * Whether a failed write failed because of Redis (worth doing again) rather than because of what was written
 * (an entity the engine cannot read fails the same way every time, so it is never kept).
 */
export function isRedisFailure(error: unknown): boolean {
  return !(error instanceof InvalidEntityError);
}

function describe(write: MissedWrite): string {
  if (write.what === 'flags') return 'the flag set';
  return `${write.kind} ${write.what === 'put' ? write.entity.id : write.id}`;
}

const keyOf = (write: MissedWrite) => (write.what === 'flags' ? 'flags' : `${write.kind}:${write.what === 'put' ? write.entity.id : write.id}`);

/**
 * What a DataStream sink could not write to Redis, and the loop that writes it once Redis answers again.
 * Without it a change that arrives during a Redis stall is lost for good: the stream never sends it again,
 * and every process reading Redis keeps the old copy until it expires. While anything is missed, the sink is
 * `behind` (the replicator's /ready says 503).
 */
export class RedisCatchUp {
  private readonly missed = new Map<string, MissedWrite>();
  private overflowed = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private replaying = false;
  private closed = false;
  private behindNow = false;

  constructor(private readonly options: RedisCatchUpOptions) {}

  /** Whether writes are waiting to be done again (or being done). */
  get behind(): boolean {
    return this.behindNow;
  }

  /** Records a write that failed; the newest write of the same entity replaces an older miss. */
  miss(write: MissedWrite): void {
    if (this.closed) return;
    // Once per outage: every change during it would otherwise log its own line.
    if (!this.behindNow) this.options.logger.warn(`${describe(write)} could not be written to Redis; it, and any change until Redis answers again, will be written then`);
    const key = keyOf(write);
    this.missed.delete(key);
    if (this.missed.size >= (this.options.maxMissed ?? DEFAULT_MAX_MISSED_WRITES)) {
      if (!this.overflowed) this.options.logger.error(`more than ${this.missed.size} changes could not be written to Redis; everything will be read again from DataStream once Redis answers`);
      this.overflowed = true;
    } else {
      this.missed.set(key, write);
    }
    this.setBehind(true);
    this.schedule();
  }

  /** A later write of this entity (or flag set) reached Redis: the missed one is out of date, not to be replayed. */
  written(write: MissedWrite): void {
    this.missed.delete(keyOf(write));
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer || this.replaying || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.attempt();
    }, this.options.probeIntervalMs ?? DEFAULT_CATCH_UP_PROBE_MS);
    this.timer.unref?.();
  }

  private async attempt(): Promise<void> {
    this.replaying = true;
    try {
      await this.options.probe();
      if (this.overflowed) {
        this.overflowed = false;
        this.missed.clear();
        await this.options.resyncAll();
      }
      const writes = [...this.missed.values()];
      this.missed.clear();
      try {
        await this.options.replay(writes);
      } catch (error) {
        // Still failing: keep what was not overtaken by newer misses meanwhile, and try again later.
        for (const write of writes) if (!this.missed.has(keyOf(write))) this.missed.set(keyOf(write), write);
        throw error;
      }
      if (this.missed.size === 0 && !this.overflowed) {
        this.options.logger.info(`Redis answers again: ${writes.length} change${writes.length === 1 ? '' : 's'} missed meanwhile written`);
        this.setBehind(false);
      }
    } catch (error) {
      this.options.logger.debug(`Redis is still not answering: ${(error as Error)?.message ?? error}`);
    } finally {
      this.replaying = false;
      if (this.behindNow) this.schedule();
    }
  }

  private setBehind(behind: boolean): void {
    if (this.behindNow === behind) return;
    this.behindNow = behind;
    this.options.onBehindChange?.(behind);
  }
}
