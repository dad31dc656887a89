const ignore = () => undefined;

/**
 * Runs async work one piece at a time per key, in the order it was asked for; work on different keys runs
 * side by side. What a read-modify-write of one entity needs when its store answers asynchronously (Redis):
 * without it, two updates that read the same version each write back their own change, and one is lost.
 */
export class SerialByKey {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(work);
    const tail = result.then(ignore, ignore);
    this.tails.set(key, tail);
    // The last piece of work for a key takes its entry with it, so idle keys hold no memory.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running. */
  get busyKeys(): number {
    return this.tails.size;
  }
}
