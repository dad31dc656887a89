import type { Capture } from '../core/parts';

/** Nowhere to send events (the embedded default, offline): what identify and track say is kept by the entity writes, or nothing. */
export const noCapture: Capture = {
  identify(): void {},
  track(): void {},
  async close(): Promise<void> {},
};
