import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/**
 * Live-update latency as a person sees it: from saving the flags file to the DOM showing the change (file
 * watch, reload, notice over the live channel, revalidation, render). Toggles `new-dashboard` `rounds` times.
 */
export async function measureLiveLatency(page: Page, flagsFile: string, rounds: number, warmup = 2): Promise<number[]> {
  const original = readFileSync(flagsFile, 'utf8');
  // Off: the paid-plans rule names a plan nobody has (the example's user is not an admin).
  const off = original.replace('"when": "company.plan in [pro, enterprise]"', '"when": "company.plan in [none]"');
  if (off === original) throw new Error('flags file does not have the expected new-dashboard entry');
  const latencies: number[] = [];
  try {
    // The first edits warm up every step of the path (JIT, connections); they are run but not recorded.
    for (let i = 0; i < warmup + rounds; i++) {
      const turningOff = i % 2 === 0;
      const expected = turningOff ? 'Classic dashboard' : 'New dashboard';
      // A MutationObserver in the page stamps the moment the text changes (the same wall clock as this
      // process), so the figure carries no polling interval of its own.
      await page.evaluate((text) => {
        const target = window as unknown as { __flagwireSeen?: Promise<number> };
        target.__flagwireSeen = new Promise<number>((resolve) => {
          const observer = new MutationObserver(() => {
            if (document.getElementById('dashboard')?.textContent !== text) return;
            observer.disconnect();
            resolve(Date.now());
          });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
          setTimeout(() => {
            observer.disconnect();
            resolve(Number.NaN);
          }, 10_000);
        });
      }, expected);
      const started = Date.now();
      writeFileSync(flagsFile, turningOff ? off : original);
      const seenAt = await page.evaluate(() => (window as unknown as { __flagwireSeen: Promise<number> }).__flagwireSeen);
      if (Number.isNaN(seenAt)) throw new Error(`the page did not show "${expected}" within 10 s of the edit`);
      if (i >= warmup) latencies.push(seenAt - started);
      await page.waitForTimeout(60);
    }
  } finally {
    writeFileSync(flagsFile, original);
  }
  return latencies;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
