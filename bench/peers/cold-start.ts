import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, ROOT } from './built-child';
import { featBitBootstrapText } from './featbit';
import { flagsFileText, growthBookAttributes, GROWTHBOOK_PAYLOAD, storedUsers } from './fixtures';
import { median, ratioVerdict } from './figures';

/**
 * Item 2 of the peers bench: a cold start, from spawning `node` to the first answer, with plain node running
 * each SDK's built package (flagwire's dist/, through the package's own `exports`). The figure is the wall
 * time the parent sees from `spawn()` to the child's "answered" line: it holds everything an app waits for
 * (exec, node's bootstrap, module loading, the SDK's start, the first check), where a clock read inside the
 * child (performance.now(), from node's time origin) misses the exec and the earliest bootstrap; that one is
 * reported beside it. The kinds run one at a time, in turns, the order rotating each round.
 */
const USERS = 1000;
const ROUNDS = 20;
const FILE_TARGET = 1.5;
const FLAGS_ONLY_TARGET = 1.2;
const child = (name: string) => fileURLToPath(new URL(`./cold/${name}.mjs`, import.meta.url));

type Kind = 'node' | 'growthBook' | 'growthBookUsers' | 'featBit' | 'flagwireFlagsOnly' | 'flagwireUsers';

interface ColdStart {
  wallMs: number;
  /** The child's own clock at its answer: ms since its time origin. */
  insideMs: number;
}

/** Every child answers `true` (an admin), then `false` (a viewer): a default that happens to fit cannot pass. */
const EXPECTED = 'true second false';

/** One cold start: the wall time to the "answered" line, after checking both answers the child gave. */
function coldStart(args: string[]): Promise<ColdStart> {
  const started = performance.now();
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let wallMs = Number.NaN;
  proc.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (Number.isNaN(wallMs) && out.includes('\n')) wallMs = performance.now() - started;
  });
  proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) =>
    proc.on('close', (code) => {
      const [answered, second] = out.trim().split('\n');
      const [word, value, insideMs] = (answered ?? '').split(' ');
      if (code !== 0 || word !== 'answered' || `${value} ${second}` !== EXPECTED) reject(new Error(`cold start ${args.join(' ')}: exit ${code}, printed ${JSON.stringify(out)}: ${err.slice(-2000)}`));
      else resolve({ wallMs, insideMs: Number(insideMs) });
    }),
  );
}

export async function coldStartSection(): Promise<string[]> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'flagwire-peers-cold-'));
  try {
    const users = storedUsers(USERS);
    const viewer = users.find((user) => user.traits.role === 'viewer')!.keys.id;
    const [withUsers, flagsOnly, payload, attributes, bootstrap] = ['users.flags.json', 'flags-only.flags.json', 'growthbook.json', 'attributes.json', 'featbit.json'].map((name) => join(dir, name)) as [string, string, string, string, string];
    writeFileSync(withUsers, flagsFileText(users));
    writeFileSync(flagsOnly, flagsFileText([]));
    writeFileSync(payload, JSON.stringify(GROWTHBOOK_PAYLOAD));
    writeFileSync(attributes, JSON.stringify(users.map((user) => growthBookAttributes(user))));
    writeFileSync(bootstrap, featBitBootstrapText());
    const kinds: Record<Kind, { label: string; args: string[] }> = {
      node: { label: 'node alone (answers at once: the floor)', args: [child('node')] },
      growthBook: { label: 'GrowthBook: payload file, `initSync`, `isOn` (role with the request)', args: [child('growthbook'), payload, 'attributes'] },
      growthBookUsers: { label: `GrowthBook + the app's ${USERS.toLocaleString('en')} users read from a JSON file into a Map`, args: [child('growthbook'), payload, 'stored', attributes, 'user-0', viewer] },
      featBit: { label: 'FeatBit Node SDK: offline, bootstrap file, `boolVariation` (role with the request)', args: [child('featbit'), bootstrap] },
      flagwireFlagsOnly: { label: 'flagwire: flags file, no users (role with the request)', args: [child('flagwire'), flagsOnly, 'attributes'] },
      flagwireUsers: { label: `flagwire: flags file with ${USERS.toLocaleString('en')} users (stored user by id)`, args: [child('flagwire'), withUsers, 'stored', 'user-0', viewer] },
    };
    const names = Object.keys(kinds) as Kind[];
    const runs = new Map<Kind, ColdStart[]>(names.map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round) % names.length]!;
        runs.get(name)!.push(await coldStart(kinds[name].args));
      }
    }
    const wall = (name: Kind) => runs.get(name)!.map((run) => run.wallMs);
    const perRound = (name: Kind, baseline: Kind) => wall(name).map((ms, round) => ms / wall(baseline)[round]!);
    const floor = median(wall('node'));
    const row = (name: Kind) => {
      const [wallMs, insideMs] = [median(wall(name)), median(runs.get(name)!.map((run) => run.insideMs))];
      return `| ${kinds[name].label} | ${wallMs.toFixed(0)} ms | ${insideMs.toFixed(0)} ms | ${(wallMs - floor).toFixed(0)} ms | ${(wallMs / median(wall('growthBook'))).toFixed(2)}× |`;
    };
    return [
      '',
      '### 2. Cold start: process start to the first answer',
      '',
      `Each kind ${ROUNDS} times, one process at a time, in turns (order rotating). Plain \`node\` on the built packages (flagwire's`,
      'dist/, built first if older than src/). Wall: from `spawn()` to the child\'s "answered" line; inside: the child\'s',
      '`performance.now()` at its answer (from node\'s time origin: no exec, less bootstrap). Same flags; the first answer is',
      '`admin-tools` for an admin, and a second answer (untimed) for a viewer must differ.',
      '',
      '| kind | wall (median) | inside | over node alone | vs GrowthBook |',
      '|---|---|---|---|---|',
      ...names.map(row),
      '',
      'Per round (same round), wall time over GrowthBook\'s (role with the request):',
      `- flagwire, ${USERS.toLocaleString('en')}-user flags file: ${ratioVerdict(perRound('flagwireUsers', 'growthBook'), 'GrowthBook', FILE_TARGET)}`,
      `- flagwire, flags only: ${ratioVerdict(perRound('flagwireFlagsOnly', 'growthBook'), 'GrowthBook', FLAGS_ONLY_TARGET)}`,
      `- flagwire, ${USERS.toLocaleString('en')}-user flags file, over GrowthBook with the app's users read from JSON: ${ratioVerdict(perRound('flagwireUsers', 'growthBookUsers'), 'GrowthBook + users')}`,
      `- Above node alone (medians): flagwire with users ${((median(wall('flagwireUsers')) - floor) / (median(wall('growthBook')) - floor)).toFixed(2)}×, flags only ${((median(wall('flagwireFlagsOnly')) - floor) / (median(wall('growthBook')) - floor)).toFixed(2)}× GrowthBook's.`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
