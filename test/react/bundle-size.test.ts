import { describe, expect, it } from 'vitest';
import { gzippedEntrySize, VALUES_ONLY } from '../support/bundle-size';

const LIMIT_BYTES = 3 * 1024;

describe('flagwire/react bundle size', () => {
  it(`keeps the values-only entry (FlagProvider + useFlag) under ${LIMIT_BYTES} bytes minified and gzipped`, async () => {
    const { entry, lazy } = await gzippedEntrySize(VALUES_ONLY);
    expect(entry).toBeGreaterThan(200); // it really bundled the provider
    expect(entry).toBeLessThanOrEqual(LIMIT_BYTES);
    // The live updater (SWR + WebSocket) is split off, not in the entry.
    expect(lazy).toBeGreaterThan(0);
  });
});
