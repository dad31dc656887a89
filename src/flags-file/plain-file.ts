import type { ConciseUser } from './schema';

/**
 * The concise format's users, read without the schema validator when every one of them is plainly well-formed:
 * `{ keys, id?, name?, traits? }` with at least one string key, string (non-empty) `id`, string `name`, and traits
 * that are strings, finite numbers or booleans. Users are most of a large file and the schema's slowest part to
 * validate; a file with any user this does not accept goes through the schema whole, which words the problem.
 * Returns what the schema would (traits defaulted to `{}`), or `null`.
 */
export function plainUsers(file: unknown): ConciseUser[] | null {
  if (typeof file !== 'object' || file === null || Array.isArray(file)) return null;
  const users = (file as { users?: unknown }).users;
  if (!Array.isArray(users)) return null;
  const read: ConciseUser[] = [];
  for (const user of users) {
    const plain = plainUser(user);
    if (plain === null) return null;
    read.push(plain);
  }
  return read;
}

const USER_FIELDS: ReadonlySet<string> = new Set(['id', 'keys', 'name', 'traits']);

function plainUser(user: unknown): ConciseUser | null {
  if (!isRecord(user)) return null;
  for (const field in user) if (!USER_FIELDS.has(field)) return null;
  const { id, keys, name, traits } = user as Record<string, unknown>;
  if (id !== undefined && (typeof id !== 'string' || id === '')) return null;
  if (name !== undefined && typeof name !== 'string') return null;
  if (!isRecord(keys) || !everyValue(keys, (value) => typeof value === 'string', true)) return null;
  if (traits !== undefined && (!isRecord(traits) || !everyValue(traits, isScalar, false))) return null;
  const read: ConciseUser = { keys: keys as Record<string, string>, traits: (traits ?? {}) as ConciseUser['traits'] };
  if (id !== undefined) read.id = id;
  if (name !== undefined) read.name = name;
  return read;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function everyValue(record: Record<string, unknown>, ok: (value: unknown) => boolean, needsOne: boolean): boolean {
  let any = false;
  for (const name in record) {
    if (!ok(record[name])) return false;
    any = true;
  }
  return any || !needsOne;
}
