import type { Attributes } from '@growthbook/growthbook';
import type { EvaluationContext } from 'flagwire/server';
import { formatNs } from '../measure';
import { storedUserContext } from './agreement';
import { flagwireOnFile, growthBookClient } from './clients';
import { growthBookAttributes, storedUsers } from './fixtures';
import { collectGarbage, median, ratioVerdict } from './figures';

/**
 * Item 4 of the peers bench: the first snapshot of a user the client holds (declared in its flags file) but has
 * not evaluated yet, and one read. No memo or per-user cache may answer it, whatever flagwire keeps: each round
 * loads a new client, and each of its users is snapshot once by one path (the first half by `await snapshot()`,
 * the second by `snapshotNow()`). GrowthBook holds no users: its equivalent is a scoped instance made from the
 * attribute object the app keeps for that user, and one `isOn` (beside it, the multi-user client's `isOn`).
 * Within a round the paths take turns a chunk of users at a time (the order rotating), so a busy spell of the
 * machine falls on all of them; every answer is compared with GrowthBook's.
 */
const USERS = 4000;
const HALF = USERS / 2;
const CHUNK = 125;
const ROUNDS = 22;
/** Rounds run but not counted, while the JIT settles. */
const WARM_UP_ROUNDS = 2;
const FLAG = 'admin-tools';
const TARGET = 0.8;

type PathName = 'growthBookScoped' | 'growthBookClient' | 'snapshot' | 'snapshotNow' | 'secondSnapshot';
/** One path over users `from` (inclusive) to `to`, of the half of the users it is given. */
type Path = (from: number, to: number) => unknown;

const LABELS: Record<PathName, string> = {
  growthBookScoped: 'GrowthBook `createScopedInstance({ attributes }).isOn(key)` (baseline)',
  growthBookClient: 'GrowthBook `isOn(key, { attributes })` on the multi-user client',
  snapshot: 'flagwire first `(await snapshot(ctx)).isEnabled(key)`',
  snapshotNow: 'flagwire first `snapshotNow(ctx)!.isEnabled(key)` (synchronous)',
  secondSnapshot: 'flagwire second `(await snapshot(ctx)).isEnabled(key)`, same users again',
};

/**
 * Runs the paths a chunk at a time, taking turns in the given order; returns each path's time per user in
 * each chunk. Chunk by chunk, not summed: on a shared machine a chunk that lost the CPU is an outlier the
 * median drops, where it would swamp a sum (and so would a garbage collection, which falls on any path's chunk).
 */
async function inTurns(paths: [PathName, Path][]): Promise<Map<PathName, number[]>> {
  const chunks = new Map<PathName, number[]>(paths.map(([name]) => [name, []]));
  for (let from = 0; from < HALF; from += CHUNK) {
    for (const [name, path] of paths) {
      const start = process.hrtime.bigint();
      await path(from, from + CHUNK);
      chunks.get(name)!.push(Number(process.hrtime.bigint() - start) / CHUNK);
    }
  }
  return chunks;
}

export async function firstSnapshotSection(): Promise<string[]> {
  const users = storedUsers(USERS);
  const contexts: EvaluationContext[] = users.map((user) => storedUserContext(user));
  const attributes: { attributes: Attributes }[] = users.map((user) => ({ attributes: growthBookAttributes(user) }));
  const growthBook = growthBookClient();
  const samples = new Map<PathName, number[]>(Object.keys(LABELS).map((name) => [name as PathName, []]));
  const overScoped = { snapshot: [] as number[], snapshotNow: [] as number[], snapshotOverClient: [] as number[] };
  // What each path answered, user by user: written in the timed loops by every path alike, compared after.
  const growthBookAnswers = new Array<boolean>(USERS);
  const flagwireAnswers = new Array<boolean>(USERS);
  const secondAnswers = new Array<boolean>(HALF);
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const { client, close } = await flagwireOnFile(users);
      // GrowthBook's paths split the users as flagwire's do, so each user gets one answer from each SDK.
      const paths: [PathName, Path][] = [
        ['growthBookScoped', (from, to) => {
          for (let i = from; i < to; i++) growthBookAnswers[i] = growthBook.createScopedInstance(attributes[i]!).isOn(FLAG);
        }],
        ['growthBookClient', (from, to) => {
          for (let i = HALF + from; i < HALF + to; i++) growthBookAnswers[i] = growthBook.isOn(FLAG, attributes[i]!);
        }],
        ['snapshot', async (from, to) => {
          for (let i = from; i < to; i++) flagwireAnswers[i] = (await client.snapshot(contexts[i])).isEnabled(FLAG);
        }],
        ['snapshotNow', (from, to) => {
          for (let i = HALF + from; i < HALF + to; i++) flagwireAnswers[i] = client.snapshotNow(contexts[i])!.isEnabled(FLAG);
        }],
      ];
      collectGarbage();
      const ns = await inTurns(paths.map((_, i) => paths[(i + round) % paths.length]!));
      const second = await inTurns([['secondSnapshot', async (from, to) => {
        for (let i = from; i < to; i++) secondAnswers[i] = (await client.snapshot(contexts[i])).isEnabled(FLAG);
      }]]);
      ns.set('secondSnapshot', second.get('secondSnapshot')!);
      // A round's figure for a path is the median of its chunks; the ratio pairs two paths within the round.
      const over = (name: PathName, baseline: PathName) => median(ns.get(name)!) / median(ns.get(baseline)!);
      await close();
      for (let i = 0; i < USERS; i++) {
        if (flagwireAnswers[i] !== growthBookAnswers[i] || (i < HALF && secondAnswers[i] !== growthBookAnswers[i])) {
          throw new Error(`round ${round}: ${FLAG} for ${users[i]!.keys.id}: flagwire ${flagwireAnswers[i]} (second ${secondAnswers[i]}), GrowthBook ${growthBookAnswers[i]}`);
        }
      }
      if (round < WARM_UP_ROUNDS) continue;
      for (const [name, chunks] of ns) samples.get(name)!.push(...chunks);
      overScoped.snapshot.push(over('snapshot', 'growthBookScoped'));
      overScoped.snapshotNow.push(over('snapshotNow', 'growthBookScoped'));
      overScoped.snapshotOverClient.push(over('snapshot', 'growthBookClient'));
    }
  } finally {
    growthBook.destroy();
  }
  const on = growthBookAnswers.filter(Boolean).length;
  const baseline = median(samples.get('growthBookScoped')!);
  const row = (name: PathName) => {
    const sorted = [...samples.get(name)!].sort((x, y) => x - y);
    const [p10, p90] = [sorted[Math.floor(sorted.length * 0.1)]!, sorted[Math.floor(sorted.length * 0.9)]!];
    return `| ${LABELS[name]} | ${formatNs(median(sorted))} | ${formatNs(p10)} – ${formatNs(p90)} | ${(median(sorted) / baseline).toFixed(3)}× |`;
  };
  return [
    '',
    '### 4. A first snapshot of a user',
    '',
    `${USERS.toLocaleString('en')} users declared in a flags file; ${ROUNDS - WARM_UP_ROUNDS} rounds (after ${WARM_UP_ROUNDS} warm-up rounds), each on a newly loaded client, the paths taking turns ${CHUNK} users at a time, so`,
    `every flagwire snapshot below is the first of its user on that client (the second-snapshot row excepted). One read: \`${FLAG}\``,
    `(\`user.role in [admin, owner]\`, a stored trait; on for ${on} of ${USERS}); every answer matched GrowthBook's. Median per user over chunks.`,
    '',
    '| path | per user | p10 – p90 | vs GrowthBook scoped |',
    '|---|---|---|---|',
    ...(Object.keys(LABELS) as PathName[]).map(row),
    '',
    'Round by round (the median chunk of each path in that round), time per first snapshot over GrowthBook\'s scoped instance:',
    `- \`await snapshot(ctx)\`: ${ratioVerdict(overScoped.snapshot, 'GrowthBook scoped', TARGET)}`,
    `- \`snapshotNow(ctx)\`: ${ratioVerdict(overScoped.snapshotNow, 'GrowthBook scoped', TARGET)}`,
    `- \`await snapshot(ctx)\` over the multi-user client's \`isOn\` instead: ${ratioVerdict(overScoped.snapshotOverClient, 'GrowthBook isOn')}`,
  ];
}
