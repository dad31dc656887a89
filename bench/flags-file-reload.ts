import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadFlagsText } from '../src/engine/index';
import { createFlagsClient } from '../src/server/index';

/** About 31 MB: the size of the reload that stalled the loop for 13.6 s at ~2 GB RSS. */
const USERS = 400_000;
const TICK_MS = 5;

/** A flags file with `USERS` users; `version` changes one flag, so a reload emits a change. */
function bigFlagsFile(version: number): string {
  const users: string[] = [];
  for (let i = 0; i < USERS; i++) users.push(`  { "keys": { "email": "user-${i}@acme.test" }, "traits": { "role": "${i % 3 === 0 ? 'admin' : 'viewer'}" } }`);
  const flags = `"new-editor": { "rules": [{ "when": "user.role = admin" }] },\n    "banner": { "default": ${version % 2 === 1} }`;
  return `{\n  "flags": {\n    ${flags}\n  },\n  "users": [\n${users.join(',\n')}\n  ]\n}\n`;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const peakRss = () => process.resourceUsage().maxRSS * 1024;

/**
 * How the process fares while a big flags file reloads: the longest the event loop went without running a
 * timer, how many checks answered meanwhile (each issued as soon as the last answered), the reload's duration
 * and the peak RSS. The same run measures `loadFlagsText` on the file in this thread, the baseline: what a
 * reload made the loop wait for when the whole file was read on it.
 */
export async function flagsFileReloadBench(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'flagwire-bench-reload-'));
  const file = join(dir, 'flagwire.flags.json');
  const [first, second] = [bigFlagsFile(1), bigFlagsFile(2)];
  writeFileSync(file, first);
  const client = createFlagsClient({ flagsFile: file, watch: true, startWaitMs: 600_000, maxEntities: USERS + 1000, logLevel: 'silent' });
  const loadStarted = performance.now();
  await client.ready();
  const firstLoadMs = performance.now() - loadStarted;
  const peakAfterFirstLoad = peakRss();

  let lastTick = performance.now();
  let maxStallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxStallMs = Math.max(maxStallMs, now - lastTick - TICK_MS);
    lastTick = now;
  }, TICK_MS);
  let reloading = true;
  let checks = 0;
  let lastAnswer = performance.now();
  let longestWithoutAnswerMs = 0;
  const checking = (async () => {
    while (reloading) {
      await client.checkFlag({ user: { email: `user-${checks % USERS}@acme.test` } }, 'new-editor');
      longestWithoutAnswerMs = Math.max(longestWithoutAnswerMs, performance.now() - lastAnswer);
      lastAnswer = performance.now();
      checks++;
      // Gives timers and I/O their turn, as requests arriving one after another would.
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const changed = new Promise<void>((resolve) => {
    const off = client.on('change', (change) => {
      if (change.type === 'flags') {
        off();
        resolve();
      }
    });
  });
  const reloadStarted = performance.now();
  writeFileSync(file, second);
  await changed;
  const reloadMs = performance.now() - reloadStarted;
  // A stall is seen by the first tick after it: let that tick run before stopping the ticker.
  await new Promise((resolve) => setTimeout(resolve, 4 * TICK_MS));
  reloading = false;
  await checking;
  clearInterval(ticker);
  const peakAfterReload = peakRss();
  await client.close();

  const baselineStarted = performance.now();
  loadFlagsText(second, file);
  const baselineMs = performance.now() - baselineStarted;
  rmSync(dir, { recursive: true, force: true });

  return [
    '## Flags file: a 31 MB reload while checks go on',
    '',
    `${(second.length / 1e6).toFixed(1)} MB, ${USERS.toLocaleString('en')} users (maxEntities ${(USERS + 1000).toLocaleString('en')}); the file is rewritten with one flag changed`,
    `while checks run back to back. Stall: the longest the event loop went past a ${TICK_MS} ms timer. Baseline: \`loadFlagsText\``,
    'on this thread, what the loop waited for when the whole file was read on it (before seeding its users).',
    '',
    '| | figure |',
    '|---|---|',
    `| reload, write → change event | ${(reloadMs / 1000).toFixed(1)} s |`,
    `| longest event-loop stall during it | ${maxStallMs.toFixed(0)} ms (${(maxStallMs / baselineMs).toFixed(3)}× the baseline) |`,
    `| checks answered during it / longest time without an answer | ${checks.toLocaleString('en')} / ${longestWithoutAnswerMs.toFixed(0)} ms |`,
    `| baseline: loadFlagsText on this thread | ${(baselineMs / 1000).toFixed(1)} s |`,
    `| first load, start → ready | ${(firstLoadMs / 1000).toFixed(1)} s |`,
    `| peak RSS after the first load / after the reload | ${mb(peakAfterFirstLoad)} / ${mb(peakAfterReload)} |`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(await flagsFileReloadBench());
