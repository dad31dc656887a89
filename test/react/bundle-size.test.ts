import { describe, expect, it } from 'vitest';
import { gzippedEntrySize, VALUES_ONLY } from '../support/bundle-size';

const LIMIT_BYTES = 3 * 1024;

describe('flagwire/react bundle size', () => {
  it(`keeps the values-only entry (FlagProvider + useFlag) under ${LIMIT_BYTES} bytes minified and gzipped`, async () => {
    const { entry, lazy } = await gzippedEntrySize(VALUES_ONLY);
    expect(entry).toBeGreaterThan(200); // it really bundled the provider
    expect(entry).toBeLessThanOrEqual(LIMIT_BYTES);
    // Revalidation (SWR + WebSocket) is another entry, flagwire/react/live: nothing of it here, not even a lazy chunk.
    expect(lazy).toBe(0);
  });

  it('adds only the toolbar shell to an app that renders <FlagToolbar />: its panel is a chunk of its own', async () => {
    const alone = await gzippedEntrySize(VALUES_ONLY);
    const withToolbar = await gzippedEntrySize(`${VALUES_ONLY} export { FlagToolbar } from './src/react/toolbar';`);
    expect(withToolbar.lazy).toBeGreaterThan(1000); // the panel, loaded when the toolbar renders
    expect(withToolbar.entry - alone.entry).toBeLessThan(400);
  });
});
