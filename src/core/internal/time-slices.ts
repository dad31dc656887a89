/**
 * Long work cut into slices of about `sliceMs`, with the event loop's turn between them, so that timers and I/O
 * (a check, a request) wait one slice at most. Call the returned function between items: it returns `null` while
 * the slice lasts, and a promise to await once it is used up. Timers only, so it runs wherever flagwire does.
 */
export function timeSlices(sliceMs: number): () => Promise<void> | null {
  let sliceStarted = Date.now();
  return () => {
    if (Date.now() - sliceStarted < sliceMs) return null;
    return new Promise<void>((resolve) =>
      nextTurn(() => {
        sliceStarted = Date.now();
        resolve();
      }),
    );
  };
}

/**
 * The next turn of the event loop: `setImmediate` where there is one (Node), which runs after pending I/O without
 * the millisecond a zero timeout waits; a zero timeout elsewhere.
 */
const nextTurn: (callback: () => void) => void =
  typeof setImmediate === 'function' ? (callback) => void setImmediate(callback) : (callback) => void setTimeout(callback, 0);
