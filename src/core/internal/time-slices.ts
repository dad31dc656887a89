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
      setTimeout(() => {
        sliceStarted = Date.now();
        resolve();
      }, 0),
    );
  };
}
