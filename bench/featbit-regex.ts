import { compileOperator } from '../src/evaluators/featbit/operators';
import { formatNs, measure } from './measure';

/**
 * What linear-time regex conditions cost. A FeatBit `MatchRegex` condition used to run on JavaScript's
 * backtracking engine; it now runs on RE2 (re2js), or on a string search for plain-text patterns. Each pattern
 * is timed both ways on benign values, interleaved, and the hostile case is timed once on the linear engine.
 */
const BENIGN: readonly { pattern: string; values: readonly string[] }[] = [
  { pattern: '^ios', values: ['ios-17', 'android-14', 'iPhone'] },
  { pattern: 'example\\.org$', values: ['ada@example.org', 'bob@test.io', 'x.y@example.org.uk'] },
  { pattern: '[0-9]+', values: ['user-123', 'anonymous', 'v2'] },
  { pattern: '^(pro|enterprise)-[a-z]+$', values: ['pro-trial', 'enterprise-eu', 'free'] },
  { pattern: 'iPhone OS 1[5-7]_', values: ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)'] },
];

export const HOSTILE = { pattern: '^(a+)+$', value: `${'a'.repeat(28)}!` };

function linear(pattern: string): (value: string) => boolean {
  const { test, problem } = compileOperator('MatchRegex', pattern);
  if (problem !== null) throw new Error(problem);
  return test;
}

export async function featbitRegexBench(): Promise<string> {
  const tasks = BENIGN.flatMap(({ pattern, values }) => {
    const native = new RegExp(pattern);
    const search = linear(pattern);
    for (const value of values) if (search(value) !== native.test(value)) throw new Error(`the engines disagree on ${pattern} / ${value}`);
    const at = (i: number) => values[i % values.length]!;
    return [
      { name: `native RegExp ${pattern}`, run: (i: number) => native.test(at(i)) },
      { name: `flagwire ${pattern}`, run: (i: number) => search(at(i)) },
    ];
  });
  const results = await measure(tasks);
  const rows = BENIGN.map(({ pattern }, k) => {
    const native = results[2 * k]!;
    const ours = results[2 * k + 1]!;
    return `| \`${pattern}\` | ${formatNs(native.nsPerOp)} | ${formatNs(ours.nsPerOp)} | ${(ours.nsPerOp / native.nsPerOp).toFixed(1)}× |`;
  });
  const search = linear(HOSTILE.pattern);
  const started = process.hrtime.bigint();
  search(HOSTILE.value);
  const hostileNs = Number(process.hrtime.bigint() - started);
  return [
    '## FeatBit regex conditions: linear-time engine vs native RegExp',
    '',
    'Per match on benign values (rotated), interleaved rounds, median. Plain-text patterns (`^ios`, `example\\.org$`) take a',
    'string search; the others run on re2js.',
    '',
    '| pattern | native RegExp | flagwire | cost vs native |',
    '|---|---|---|---|',
    ...rows,
    '',
    `Hostile: \`${HOSTILE.pattern}\` against ${HOSTILE.value.length} characters takes ${formatNs(hostileNs)} on the linear engine (native backtracking: seconds, doubling with each character).`,
  ].join('\n');
}
