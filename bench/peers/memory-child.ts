import { readFileSync } from 'node:fs';
import { setImmediate as turn } from 'node:timers/promises';
import { createFlagsClient, type FlagsClient } from 'flagwire/server';
import { assertOnBuiltPackage } from './built-child';
import { growthBookAttributes, type StoredUser } from './fixtures';

/**
 * One measurement of bench/peers/memory.ts, alone in its own process (started with --expose-gc) so that the heap
 * holds nothing else: the heap used after full collections, before and after the users are stored. Prints one
 * JSON line of `MemoryFigure`.
 *
 * - `file <flags file>`: a client loads the file (its users with it); then every user is snapshot once.
 * - `upsert <flags file without users> <flags file with users>`: a client with the flags, then
 *   `companies.upsertUser` for each user of the second file, read from its JSON as an app reads bodies from a
 *   request or a database (the reference row reads the same file); then every user is snapshot once.
 * - `attributes <flags file>`: the file's users as an app keeps them for GrowthBook, one flat attribute object
 *   each in a Map by id; no SDK.
 */
export type MemoryMode = 'file' | 'upsert' | 'attributes';

export interface MemoryFigure {
  /** Heap used after the imports, before anything is made. */
  start: number;
  /** With the client (or the Map) and no users: `upsert` only, else the same as `stored`'s predecessor. */
  empty: number;
  /** With every user stored. */
  stored: number;
  /** After one snapshot of each user (whatever the client keeps from it); the same as `stored` for `attributes`. */
  evaluated: number;
  users: number;
}

async function heapUsed(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  // Twice, with a turn of the event loop between, so weak references and finalizers are settled too.
  gc();
  await turn();
  gc();
  return process.memoryUsage().heapUsed;
}

async function ready(flagsFile: string): Promise<FlagsClient> {
  const client = createFlagsClient({ flagsFile, watch: false, logLevel: 'error', startWaitMs: 120_000 });
  if ((await client.ready()) !== 'ready') throw new Error(`${flagsFile} was not loaded`);
  return client;
}

async function snapshotEach(client: FlagsClient, count: number): Promise<number> {
  let on = 0;
  for (let i = 0; i < count; i++) if ((await client.snapshot({ user: { id: `user-${i}` } })).isEnabled('admin-tools')) on++;
  return on;
}

async function measureFile(file: string): Promise<MemoryFigure> {
  const users = (JSON.parse(readFileSync(file, 'utf8')) as { users: StoredUser[] }).users.length;
  const start = await heapUsed();
  const client = await ready(file);
  const stored = await heapUsed();
  if ((await snapshotEach(client, users)) === 0 && users > 0) throw new Error('no user was found');
  const evaluated = await heapUsed();
  await client.close();
  return { start, empty: start, stored, evaluated, users };
}

async function measureUpserts(file: string, usersFile: string): Promise<MemoryFigure> {
  const start = await heapUsed();
  const client = await ready(file);
  const empty = await heapUsed();
  // The bodies are read here and dropped after: only what the client keeps of them stays on the heap.
  const bodies = (JSON.parse(readFileSync(usersFile, 'utf8')) as { users: StoredUser[] }).users;
  const count = bodies.length;
  for (const user of bodies.splice(0)) await client.companies.upsertUser(user);
  const stored = await heapUsed();
  if ((await snapshotEach(client, count)) === 0) throw new Error('no user was found');
  const evaluated = await heapUsed();
  await client.close();
  return { start, empty, stored, evaluated, users: count };
}

async function measureAttributes(file: string): Promise<MemoryFigure> {
  const start = await heapUsed();
  const byId = new Map<string, Record<string, unknown>>();
  for (const user of (JSON.parse(readFileSync(file, 'utf8')) as { users: StoredUser[] }).users) byId.set(user.keys.id, growthBookAttributes(user));
  const stored = await heapUsed();
  if (byId.size > 0 && byId.get('user-0')?.role !== 'admin') throw new Error('the attribute objects are not the users');
  return { start, empty: start, stored, evaluated: stored, users: byId.size };
}

assertOnBuiltPackage();
const [mode, file, usersFile] = process.argv.slice(2) as [MemoryMode, string, string | undefined];
const figure = mode === 'file' ? await measureFile(file) : mode === 'upsert' ? await measureUpserts(file, usersFile ?? '') : await measureAttributes(file);
console.log(JSON.stringify(figure));
