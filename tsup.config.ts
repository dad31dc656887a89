import { defineConfig, type Options } from 'tsup';

// One entry per subpath export: this map is the package's public shape. The CLI is ESM only.
// No `clean` here: the configs build concurrently, and one's clean would delete another's output
// (`npm run build` empties dist first).
const browserEntry: Options = {
  entry: { react: 'src/react/index.ts' },
  dts: true,
  sourcemap: false,
  target: 'es2020',
  platform: 'browser',
  external: ['react', 'react-dom', 'swr', 'flagwire/server'],
  banner: { js: "'use client';" },
};

// The toolbar reads NODE_ENV as the app's bundler sets it: esbuild would otherwise fix it at flagwire's build
// (for the browser platform it defines process.env.NODE_ENV itself).
const toolbarEntry: Options = {
  ...browserEntry,
  entry: { 'react-toolbar': 'src/react/toolbar.ts' },
  esbuildOptions(options) {
    options.define = { ...options.define, 'process.env.NODE_ENV': 'process.env.NODE_ENV' };
  },
};

export default defineConfig([
  {
    entry: {
      server: 'src/server/index.ts',
      engine: 'src/engine/index.ts',
      featbit: 'src/featbit/index.ts',
      webhooks: 'src/webhooks/index.ts',
      express: 'src/express/index.ts',
      next: 'src/next/index.ts',
      'next-pages': 'src/next/pages.ts',
      // Web APIs only; it shares the server's chunks, which is checked to pull in no Node built-ins.
      edge: 'src/edge/index.ts',
      openfeature: 'src/openfeature/server.ts',
      // Tests only: a client whose flags a test sets.
      testing: 'src/testing/index.ts',
      // Vercel's Flags SDK: its adapter, Flags Explorer's data and the overrides cookie ('flags' is the app's).
      'flags-sdk': 'src/flags-sdk/index.ts',
      // Not an export: the thread that reads large flags files, started by its path beside the server's chunks.
      'flags-file-worker': 'src/sources/file/flags-file-worker.ts',
      // The `flagwire` command (package.json `bin`): its parts are the server's, so it shares their chunks.
      cli: 'src/cli/bin.ts',
    },
    format: ['esm', 'cjs'],
    // The worker's file is found from import.meta.url, or __filename in the CommonJS build, where import.meta is
    // empty on purpose (see load-off-thread.ts).
    esbuildOptions(options) {
      options.logOverride = { 'empty-import-meta': 'silent' };
    },
    // Adapters share the server's code (and its classes) through common chunks rather than copies.
    splitting: true,
    dts: true,
    sourcemap: false,
    target: 'node20',
    treeshake: true,
  },
  // The browser entry: every file is a client module. It names 'flagwire/server' for types only, kept as an
  // import so an app's `Register` augmentation of flagwire/server types the hooks too.
  {
    ...browserEntry,
    // One file per format, so that 'use client' stays the file's first statement (tsup's CJS chunking puts
    // interop helpers above the banner, and bundlers then treat the module as a server one).
    format: ['esm', 'cjs'],
    splitting: false,
  },
  // flagwire/react/live: the revalidating provider, the only code that names 'swr'. It names 'flagwire/react'
  // too, kept as an import so that it and the app's hooks share one provider context (a copy bundled in
  // here would be a second context the hooks never see). One file per format: 'use client' stays first.
  {
    ...browserEntry,
    entry: { 'react-live': 'src/react/live.ts' },
    format: ['esm', 'cjs'],
    splitting: false,
    external: [...(browserEntry.external ?? []), 'flagwire/react'],
  },
  // flagwire/react/toolbar: <FlagToolbar />, apart from the provider and hooks so their bundle carries none of it.
  // ESM splits its panel into a chunk of its own (a dynamic import), which an app that renders no toolbar never
  // loads; every chunk starts with 'use client'. The CJS file holds both.
  {
    ...toolbarEntry,
    format: ['esm'],
    splitting: true,
  },
  {
    ...toolbarEntry,
    format: ['cjs'],
    splitting: false,
  },
  // flagwire/next/live: <LiveRefresh />, a client component (flagwire/next is server-only). Next is the app's.
  {
    ...browserEntry,
    entry: { 'next-live': 'src/next/live.ts' },
    format: ['esm', 'cjs'],
    splitting: false,
    external: [...(browserEntry.external ?? []), 'next', /^next\//],
  },
  // The OpenFeature web provider: browser code without React (so no 'use client'), which names
  // 'flagwire/server' for types only and the OpenFeature packages as the app's own.
  {
    entry: { 'openfeature-web': 'src/openfeature/web.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: false,
    target: 'es2020',
    platform: 'browser',
    external: ['@openfeature/web-sdk', '@openfeature/core', 'flagwire/server'],
  },
]);
