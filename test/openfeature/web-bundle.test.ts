import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('flagwire/openfeature/web bundle', () => {
  it('carries no server code and no Node built-ins', async () => {
    const result = await build({
      entryPoints: ['src/openfeature/web.ts'],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      external: ['@openfeature/web-sdk', '@openfeature/core'],
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('src/openfeature/web.ts');
    // Only the provider and the browser code it shares with React: no part of the server core.
    expect(inputs.filter((input) => !input.startsWith('src/openfeature/') && !input.startsWith('src/browser/'))).toEqual([]);
    expect(result.outputFiles[0]?.text).not.toMatch(/from ["']node:/);
  });
});
