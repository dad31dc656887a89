/** Resolves to `fallback` if `work` has not settled within `ms`; never rejects when `work` does not. */
export function within<T>(work: Promise<T>, ms: number, fallback: () => T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback()), ms);
    timer.unref?.();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}


/** `work` given a signal, under a deadline: past it, `fallback`; and once either settles the work is told to stop. */
export async function withinAborting<T>(work: (signal: AbortSignal) => Promise<T>, ms: number, fallback: () => T): Promise<T> {
  const controller = new AbortController();
  try {
    return await within(work(controller.signal), ms, fallback);
  } finally {
    controller.abort();
  }
}

/**
 * Whether `work` settled within `ms`. Unlike `within`, the timer is ref'd: when an awaited close() is all a
 * process has left, the process must live until close() has finished or given up, and said what was lost.
 */
export async function closeWithin(work: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** `work`, or a rejection with `timeoutError()` once `ms` pass first. The timer never keeps the process alive. */
export function rejectAfter<T>(work: Promise<T>, ms: number, timeoutError: () => Error): Promise<T> {
  return within<T | typeof LATE>(work, ms, () => LATE).then((settled) => {
    if (settled === LATE) throw timeoutError();
    return settled as T;
  });
}

const LATE: unique symbol = Symbol('late');
