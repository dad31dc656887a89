import { defineConfig } from 'tsup';

// One entry per subpath export: this map is the package's public shape. The CLI is ESM only.
export default defineConfig([
  {
    entry: { server: 'src/server/index.ts', express: 'src/express/index.ts', next: 'src/next/index.ts' },
    format: ['esm', 'cjs'],
    // Adapters share the server's code (and its classes) through common chunks rather than copies.
    splitting: true,
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    treeshake: true,
  },
  {
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
  },
]);
