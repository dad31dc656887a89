export interface FaultTiming {
  /** How many requests the fault serves in all (default forever). */
  times?: number;
  /** Serve it to every `every`-th matching request (default each one). */
  every?: number;
}

/**
 * The faults a test stand-in has been told to serve, in the order they were added: each serves every `every`-th
 * matching request, `times` times in all. The first entry that still has faults to serve and matches wins.
 */
export class FaultSchedule<Fault> {
  private entries: { fault: Fault; times: number; path: RegExp; every: number; seen: number }[] = [];

  /** @param path only requests whose path matches count towards this fault (default all). */
  add(fault: Fault, { times = Number.POSITIVE_INFINITY, every = 1, path = /.*/ }: FaultTiming & { path?: RegExp } = {}): void {
    this.entries.push({ fault, times, path, every, seen: 0 });
  }

  /** Faults still to be served (those added forever are not counted). */
  get pending(): number {
    return this.entries.reduce((sum, f) => sum + (Number.isFinite(f.times) ? f.times : 0), 0);
  }

  clear(): void {
    this.entries = [];
  }

  /** The fault this request gets, if any; counts the request towards every entry it reaches. */
  next(path = '/'): Fault | null {
    for (const entry of this.entries) {
      if (entry.times <= 0 || !entry.path.test(path)) continue;
      entry.seen++;
      if (entry.seen % entry.every !== 0) continue;
      entry.times--;
      return entry.fault;
    }
    return null;
  }
}
