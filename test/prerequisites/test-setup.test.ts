import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redisAnswers } from '../support/prerequisites';
import setupRedis from '../support/redis-global-setup';

/**
 * `npm test`'s first step (scripts/test-setup.ts) either finds what the tests need or stops at once with
 * one line saying what to install; the run's global set-up starts a Redis of its own when none answers.
 * Absence is simulated with the variables that name each tool: the shared ones are never touched.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

function setup(env: Record<string, string>) {
  const run = spawnSync(process.execPath, [TSX, 'scripts/test-setup.ts'], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, lines: run.stderr.split('\n').filter(Boolean) };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('npm test’s set-up (scripts/test-setup.ts)', () => {
  it('stops with one line naming Chromium when CHROMIUM_PATH points nowhere', () => {
    const run = setup({ CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(run.status).toBe(1);
    expect(run.lines).toEqual(['npm test: CHROMIUM_PATH=/nonexistent/chromium is not an executable: point it at Chromium, or unset it']);
    expect(run.stdout).toBe('');
  });

  it('names everything missing on that one line', () => {
    const run = setup({ CHROMIUM_PATH: '/nonexistent/chromium', REDIS_SERVER: '/nonexistent/redis-server' });
    expect(run.status).toBe(1);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatch(/CHROMIUM_PATH=.*; REDIS_SERVER=\/nonexistent\/redis-server is not an executable: point it at redis-server, or unset it$/);
  });

  it('stops with one line when REDIS_URL names another machine where nothing answers', () => {
    // 192.0.2.0/24 is reserved for documentation: nothing answers there.
    const run = setup({ REDIS_URL: 'redis://192.0.2.1:6379' });
    expect(run.status).toBe(1);
    expect(run.lines).toEqual(['npm test: nothing answers at REDIS_URL=redis://192.0.2.1:6379: start it, or unset REDIS_URL to let the tests start a Redis of their own']);
  });

  it('says nothing and lets the tests run when all is there', () => {
    const run = setup({});
    expect(run.lines).toEqual([]);
    expect(run.status).toBe(0);
  });
});

describe('the run’s global set-up (test/support/redis-global-setup.ts)', () => {
  const saved = process.env.REDIS_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = saved;
  });

  it('starts a redis-server of its own where none answers, and stops it when the run ends', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    process.env.REDIS_URL = url;
    expect(await redisAnswers(url)).toBe(false);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const teardown = await setupRedis();
    try {
      expect(log.mock.calls).toEqual([[`[flagwire tests] no Redis answered at ${url}: started a redis-server of this run's own there`]]);
      expect(await redisAnswers(url)).toBe(true);
    } finally {
      log.mockRestore();
      await teardown?.();
    }
    expect(await redisAnswers(url)).toBe(false);
  });

  it('leaves a Redis that answers alone', async () => {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    expect(await redisAnswers(url)).toBe(true);
    expect(await setupRedis()).toBeUndefined();
  });
});
