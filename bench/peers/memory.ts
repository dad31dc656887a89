import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBuiltChild } from './built-child';
import { flagsFileText, storedUsers } from './fixtures';
import { formatBytes, median } from './figures';
import type { MemoryFigure, MemoryMode } from './memory-child';

/**
 * Item 1 of the peers bench: heap kept per stored user. Each figure comes from a fresh process of its own
 * (memory-child.ts, on the built package), run RUNS times, in turns; the median run counts. 10,000 users: enough that the per-user
 * figure dwarfs the heap's run-to-run wobble (a few KB, well under 1 B a user), a flags file of a size apps
 * keep (1.2 MB, read off the main thread, as every file from 256 KB is), and far below `maxEntities` (100,000).
 */
const USERS = 10_000;
const RUNS = 3;
const TARGET_BYTES = 400;

async function runChild(mode: MemoryMode, file: string, usersFile?: string): Promise<MemoryFigure> {
  const out = await runBuiltChild('./memory-child.ts', [mode, file, ...(usersFile === undefined ? [] : [usersFile])], ['--expose-gc']);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '') as MemoryFigure;
}

interface Scenario {
  name: string;
  run: () => Promise<MemoryFigure>;
}

/** Each scenario RUNS times, in turns; every figure of every run. */
async function inTurns(scenarios: Scenario[]): Promise<MemoryFigure[][]> {
  const runs = scenarios.map((): MemoryFigure[] => []);
  for (let round = 0; round < RUNS; round++) for (const [i, scenario] of scenarios.entries()) runs[i]!.push(await scenario.run());
  return runs;
}

export async function memorySection(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'flagwire-peers-memory-'));
  try {
    const withUsers = join(dir, 'users.flags.json');
    const flagsOnly = join(dir, 'flags-only.flags.json');
    writeFileSync(withUsers, flagsFileText(storedUsers(USERS)));
    writeFileSync(flagsOnly, flagsFileText([]));
    const [file, fileEmpty, upsert, attributes] = await inTurns([
      { name: 'file', run: () => runChild('file', withUsers) },
      { name: 'file, no users', run: () => runChild('file', flagsOnly) },
      { name: 'upsert', run: () => runChild('upsert', flagsOnly, withUsers) },
      { name: 'attributes', run: () => runChild('attributes', withUsers) },
    ]);
    const grew = (runs: MemoryFigure[], from: (f: MemoryFigure) => number, to: (f: MemoryFigure) => number) => median(runs.map((f) => to(f) - from(f)));
    const emptyClient = grew(fileEmpty!, (f) => f.start, (f) => f.stored);
    const perUser = (bytes: number) => bytes / USERS;
    const rows: [string, number, number | null][] = [
      [
        'flagwire, declared in the flags file (`createFlagsClient({ flagsFile })`, `await ready()`)',
        perUser(grew(file!, (f) => f.start, (f) => f.stored) - emptyClient),
        perUser(grew(file!, (f) => f.start, (f) => f.evaluated) - emptyClient),
      ],
      ['flagwire, `companies.upsertUser` at runtime (client on the same flags, no users in its file; the bodies parsed from the same JSON)', perUser(grew(upsert!, (f) => f.empty, (f) => f.stored)), perUser(grew(upsert!, (f) => f.empty, (f) => f.evaluated))],
      ['reference: plain attribute objects, as an app hands GrowthBook each user, in a `Map` by id', perUser(grew(attributes!, (f) => f.start, (f) => f.stored)), null],
    ];
    const verdict = (bytes: number) => (bytes <= TARGET_BYTES ? 'met' : 'missed');
    return [
      '### 1. Memory per stored user',
      '',
      `${USERS.toLocaleString('en')} users (keys \`id\` and \`email\`; traits \`role\`, \`country\`, \`beta\`, \`logins\`: a string, a string, a boolean, a number)`,
      'on the five flags of this bench. Heap used after full collections, each figure in a fresh `node --expose-gc` process,',
      `median of ${RUNS} runs. The flags-file figure subtracts a client on the same flags with no users`,
      `(${formatBytes(emptyClient)} of heap); the upsert figure, the same client before its upserts.`,
      '',
      `| users stored by | bytes per user | after one snapshot of each user | target ≤ ${TARGET_BYTES} B |`,
      '|---|---|---|---|',
      ...rows.map(([name, stored, evaluated]) => `| ${name} | ${stored.toFixed(0)} B | ${evaluated === null ? '–' : `${evaluated.toFixed(0)} B`} | ${name.startsWith('reference') ? '–' : verdict(stored)} |`),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
