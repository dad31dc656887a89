import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFeature, type Scenario } from './gherkin';
import { runScenario, type TckHarness } from './tck-steps';

/** A stored TCK asset, by its path in the asset directory (a path, not a URL: jsdom's URL is not Node's). */
export function tckPath(file: string): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'tck', file);
}

/** The stored features, as Appendix F names them (relative to the asset directory). */
export const TCK_FEATURES = ['evaluation', 'errors', 'events', 'lifecycle', 'metadata', 'reason'].map((name) => `gherkin/${name}.feature`);

/** The tags Appendix F defines; `@caching` is reserved and may not be declared. */
export const CAPABILITY_TAGS = [
  '@events',
  '@lifecycle',
  '@stale',
  '@configuration-change',
  '@object',
  '@variants',
  '@disabled-flags',
  '@unavailable',
  '@numeric-coercion',
  '@large-integers',
  '@reinitialization',
  '@targeting',
  '@standard-reasons',
  '@string-typing',
  '@fully-typed-values',
] as const;

export type Capability = (typeof CAPABILITY_TAGS)[number];

/** Each capability a provider declares (`true`) or withholds, with the reason a skip reports. */
export type Declaration = Record<Capability, true | string>;

/** The capabilities a scenario needs that the provider withholds; empty when it runs. */
export function missingCapabilities(scenario: Scenario, declaration: Declaration): Capability[] {
  return scenario.tags.filter((tag): tag is Capability => {
    if (!(CAPABILITY_TAGS as readonly string[]).includes(tag)) throw new Error(`${scenario.name}: unknown tag ${tag}`);
    return declaration[tag as Capability] !== true;
  });
}

export function tckScenarios(): { file: string; scenarios: Scenario[] }[] {
  return TCK_FEATURES.map((file) => ({ file, scenarios: parseFeature(readFileSync(tckPath(file), 'utf8'), file) }));
}

/**
 * Every canonical scenario, run against a fresh harness, or reported skipped: a test that asserts the reason
 * names the capability the scenario needs and says why the provider withholds it. Nothing is `.skip`ped.
 */
export function describeTck(provider: string, declaration: Declaration, makeHarness: () => TckHarness): void {
  const features = tckScenarios();
  describe(`OpenFeature provider TCK: ${provider}`, () => {
    it('runs or skips every scenario of the stored features (65), none left out', () => {
      expect(features.reduce((count, feature) => count + feature.scenarios.length, 0)).toBe(65);
    });
    for (const { file, scenarios } of features) {
      describe(file, () => {
        for (const scenario of scenarios) {
          const missing = missingCapabilities(scenario, declaration);
          if (missing.length === 0) {
            it(scenario.name, () => runScenario(scenario.steps, makeHarness()));
            continue;
          }
          const [first] = missing as [Capability];
          const reason = `${first} not declared: ${declaration[first]}`;
          it(`${scenario.name} — skipped, needs ${missing.join(' ')}`, () => {
            expect(scenario.tags).toContain(first);
            expect(reason).toMatch(new RegExp(`^${first} not declared: .{10,}`));
          });
        }
      });
    }
  });
}
