import { defineConfig } from 'tsup';

// One entry per subpath export: this map is the package's public shape.
export default defineConfig({
  entry: {
    server: 'src/server/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
});
