import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // flagwire/react/live names flagwire/react (one provider context for both entries): in tests, the sources.
    alias: [{ find: /^flagwire\/react$/, replacement: fileURLToPath(new URL('./src/react/index.ts', import.meta.url)) }],
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    globalSetup: ['test/support/redis-global-setup.ts'],
    testTimeout: 30_000,
  },
});
