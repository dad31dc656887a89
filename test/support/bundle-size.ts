import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/**
 * Bundle size, measured the same way for flagwire and its peers: esbuild `--bundle --minify --format=esm
 * --platform=browser`, react, react-dom and swr external, then `gzip -9`. Code split off behind a dynamic
 * import is counted apart (`lazy`).
 */
export async function gzippedEntrySize(source: string): Promise<{ entry: number; lazy: number }> {
  const outdir = mkdtempSync(join(tmpdir(), 'flagwire-size-'));
  try {
    const result = await build({
      stdin: { contents: source, resolveDir: process.cwd(), loader: 'tsx' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      splitting: true,
      outdir,
      entryNames: 'entry',
      external: ['react', 'react-dom', 'react/jsx-runtime', 'swr'],
      jsx: 'automatic',
      metafile: true,
      logLevel: 'silent',
    });
    let entry = 0;
    let lazy = 0;
    for (const file of Object.keys(result.metafile.outputs)) {
      if (!file.endsWith('.js')) continue;
      const size = gzipSync(readFileSync(file), { level: 9 }).length;
      if (file.endsWith('entry.js')) entry = size;
      else lazy += size;
    }
    return { entry, lazy };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The values-only use: the provider and one hook, as the "provider + 1 hook" figures of the peers. */
export const VALUES_ONLY = "export { FlagProvider, useFlag } from './src/react/index';";

/** The revalidating provider (`flagwire/react/live`) and one hook. */
export const LIVE = "export { LiveFlagProvider } from './src/react/live'; export { useFlag } from './src/react/index';";
