/** Resolves to `fallback` if `work` has not settled within `ms`; never rejects when `work` does not. */
export function within<T>(work: Promise<T>, ms: number, fallback: () => T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback()), ms);
    timer.unref?.();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}


/** `work`, or a rejection with `timeoutError()` once `ms` pass first. The timer never keeps the process alive. */
export function rejectAfter<T>(work: Promise<T>, ms: number, timeoutError: () => Error): Promise<T> {
  return within<T | typeof LATE>(work, ms, () => LATE).then((settled) => {
    if (settled === LATE) throw timeoutError();
    return settled as T;
  });
}

const LATE: unique symbol = Symbol('late');
