import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeature } from './gherkin';

const SAMPLE = `@events
Feature: Sample
  # a comment
  Background:
    Given a stable provider

  @object
  Scenario: Plain
    Given a thing
    Then it should contain
      | key | value |
      | a\\|b | x\\ny |

  Scenario Outline: Outline <key>
    Given a <type>-flag with key "<key>"

    Examples: first
      | key | type |
      | k1  | String |

    @extra
    Examples:
      | key | type |
      | k2  |      |
`;

describe('parseFeature: the TCK Gherkin reader', () => {
  const scenarios = parseFeature(SAMPLE, 'sample.feature');

  it('prepends the background and inherits the feature tags', () => {
    expect(scenarios[0]).toEqual({
      feature: 'Sample',
      name: 'Plain',
      tags: ['@events', '@object'],
      steps: [
        { keyword: 'Given', text: 'a stable provider', table: null },
        { keyword: 'Given', text: 'a thing', table: null },
        { keyword: 'Then', text: 'it should contain', table: [['key', 'value'], ['a|b', 'x\ny']] },
      ],
    });
  });

  it('expands an outline once per examples row, with the block title and tags, filling placeholders', () => {
    expect(scenarios.slice(1).map((s) => [s.name, s.tags, s.steps[1]?.text])).toEqual([
      ['Outline <key> [first: k1 | String]', ['@events'], 'a String-flag with key "k1"'],
      ['Outline <key> [k2 | ]', ['@events', '@extra'], 'a -flag with key "k2"'],
    ]);
  });

  it('refuses what it does not understand, naming the line', () => {
    expect(() => parseFeature('Feature: x\n  Rule: r\n', 'r.feature')).toThrow(/r\.feature:2: .*Rule/);
    expect(() => parseFeature('Scenario: no feature\n  Given x\n', 'n.feature')).toThrow(/no Feature/);
    expect(() => parseFeature('Feature: x\n  Scenario Outline: o\n    Given <a>\n', 'o.feature')).toThrow(/no Examples/);
  });

  it('reads every stored TCK feature', () => {
    const counts = ['evaluation', 'errors', 'events', 'lifecycle', 'metadata', 'reason'].map((name) => {
      const path = new URL(`./tck/gherkin/${name}.feature`, import.meta.url);
      return [name, parseFeature(readFileSync(path, 'utf8'), name).length];
    });
    expect(Object.fromEntries(counts)).toEqual({ evaluation: 28, errors: 19, events: 2, lifecycle: 6, metadata: 1, reason: 9 });
  });
});
