import { isRecord } from '../core/internal/is-record';
import { ROLLOUT_STEPS_PER_PERCENT } from './rollout-precision';
import type { ConciseCompany, ConciseFile, ConciseFlag, ConciseRule, ConciseSegment, ConciseUser } from './schema';

/**
 * The concise format read without the schema validator (zod, whose loading alone costs a cold start ~35 ms), for
 * a file that is plainly well-formed: every field known and of its type, each check the schema makes made here.
 * Anything this does not accept — a problem, or merely something unusual — goes through the schema, which words
 * the problem; so this may refuse what the schema accepts, never the other way round, and what it accepts it reads
 * as the schema does (defaults filled in). Checked against the schema on generated files (plain-file.test.ts).
 */
export function plainConciseFile(file: unknown): ConciseFile | null {
  if (!isRecord(file) || !onlyFields(file, FILE_FIELDS)) return null;
  const { $schema, flags, segments = {}, companies = [] } = file;
  if ($schema !== undefined && typeof $schema !== 'string') return null;
  if (!isRecord(flags) || !isRecord(segments) || !Array.isArray(companies)) return null;
  const users = file.users === undefined ? [] : plainUsers(file);
  if (users === null) return null;
  const read: ConciseFile = { flags: {}, segments: {}, companies: [], users };
  if ($schema !== undefined) read.$schema = $schema;
  for (const key in flags) {
    const flag = key === '' ? null : plainFlag(flags[key]);
    if (flag === null) return null;
    read.flags[key] = flag;
  }
  for (const name in segments) {
    const segment = name === '' ? null : plainSegment(segments[name]);
    if (segment === null) return null;
    read.segments[name] = segment;
  }
  for (const company of companies) {
    const plain = plainCompany(company);
    if (plain === null) return null;
    read.companies.push(plain);
  }
  return read;
}

const FILE_FIELDS: ReadonlySet<string> = new Set(['$schema', 'flags', 'segments', 'companies', 'users']);
const FLAG_FIELDS: ReadonlySet<string> = new Set(['description', 'variations', 'default', 'enabled', 'off', 'rollout', 'by', 'client', 'rules']);
const RULE_FIELDS: ReadonlySet<string> = new Set(['name', 'when', 'value', 'rollout', 'by', 'type']);
const SEGMENT_FIELDS: ReadonlySet<string> = new Set(['description', 'when']);
const COMPANY_FIELDS: ReadonlySet<string> = new Set(['id', 'keys', 'name', 'plan', 'plans', 'traits', 'usage']);
const RULE_TYPES: ReadonlySet<unknown> = new Set(['standard', 'entitlement', 'override']);
const BY = /^(user|company)\.\S+$/;

function plainFlag(flag: unknown): ConciseFlag | null {
  if (!isRecord(flag) || !onlyFields(flag, FLAG_FIELDS)) return null;
  const { description, variations, default: fallback, enabled = true, off, rollout, by, client = false, rules = [] } = flag;
  if (description !== undefined && typeof description !== 'string') return null;
  if (variations !== undefined && !isVariations(variations)) return null;
  if (!optional(fallback, isVariationRef) || !optional(off, isVariationRef) || !optional(rollout, isRollout) || !optional(by, isBy)) return null;
  if (typeof enabled !== 'boolean' || typeof client !== 'boolean' || !Array.isArray(rules)) return null;
  const read: ConciseFlag = { enabled, client, rules: [] };
  for (const rule of rules) {
    const plain = plainRule(rule);
    if (plain === null) return null;
    read.rules.push(plain);
  }
  // An on/off flag serves true or false only.
  if (variations === undefined && [fallback, off, ...read.rules.map((rule) => rule.value)].some((ref) => ref !== undefined && typeof ref !== 'boolean')) return null;
  return withGiven(read, flag, ['description', 'variations', 'default', 'off', 'rollout', 'by']);
}

function plainRule(rule: unknown): ConciseRule | null {
  if (!isRecord(rule) || !onlyFields(rule, RULE_FIELDS)) return null;
  const { name, when, value, rollout, by, type = 'standard' } = rule;
  if (name !== undefined && (typeof name !== 'string' || name === '')) return null;
  if (!optional(when, isWhen) || !optional(value, isVariationRef) || !optional(rollout, isRollout) || !optional(by, isBy) || !RULE_TYPES.has(type)) return null;
  return withGiven<ConciseRule>({ type: type as ConciseRule['type'] }, rule, ['name', 'when', 'value', 'rollout', 'by']);
}

/**
 * `read` with the optional fields `source` gives, as the schema reads them: a field absent from the source is
 * absent from the result (not `undefined`). Only for fields already checked.
 */
function withGiven<T extends object>(read: T, source: Record<string, unknown>, fields: readonly string[]): T {
  for (const field of fields) if (source[field] !== undefined) (read as Record<string, unknown>)[field] = source[field];
  return read;
}

function plainSegment(segment: unknown): ConciseSegment | null {
  if (!isRecord(segment) || !onlyFields(segment, SEGMENT_FIELDS)) return null;
  const { description, when } = segment;
  if ((description !== undefined && typeof description !== 'string') || !isWhen(when)) return null;
  return description === undefined ? { when } : { description, when };
}

function plainCompany(company: unknown): ConciseCompany | null {
  if (!isRecord(company) || !onlyFields(company, COMPANY_FIELDS)) return null;
  const { id, keys, name, plan, plans, traits = {}, usage = {} } = company;
  if (!optional(id, isNonEmptyText) || !optional(plan, isNonEmptyText) || (name !== undefined && typeof name !== 'string')) return null;
  if (plans !== undefined && !(Array.isArray(plans) && plans.every(isNonEmptyText))) return null;
  if (!isRecord(keys) || !everyValue(keys, (value) => typeof value === 'string', true)) return null;
  if (!isRecord(traits) || !everyValue(traits, isScalar, false)) return null;
  if (!isRecord(usage) || !everyValue(usage, (value) => Number.isSafeInteger(value), false)) return null;
  const read: ConciseCompany = { keys: keys as Record<string, string>, traits: traits as ConciseCompany['traits'], usage: usage as Record<string, number> };
  if (id !== undefined) read.id = id as string;
  if (name !== undefined) read.name = name;
  if (plan !== undefined) read.plan = plan as string;
  if (plans !== undefined) read.plans = plans as string[];
  return read;
}

function optional(value: unknown, ok: (value: unknown) => boolean): boolean {
  return value === undefined || ok(value);
}

function onlyFields(record: Record<string, unknown>, fields: ReadonlySet<string>): boolean {
  for (const field in record) if (!fields.has(field)) return false;
  return true;
}

function isNonEmptyText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isVariationRef(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function isWhen(value: unknown): value is string | string[] {
  return typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string'));
}

function isBy(value: unknown): boolean {
  return typeof value === 'string' && BY.test(value);
}

function isVariations(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.every((item) => typeof item === 'string' || (typeof item === 'number' && Number.isFinite(item)));
  if (!isRecord(value)) return false;
  let any = false;
  for (const name in value) {
    if (name === '' || !isJson(value[name], 0)) return false;
    any = true;
  }
  return any;
}

/** A JSON value as a file can hold one (the depth bound is the file's own nesting bound, checked before). */
function isJson(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (depth > 64) return false;
  if (Array.isArray(value)) return value.every((item) => isJson(item, depth + 1));
  return isRecord(value) && everyValue(value, (item) => isJson(item, depth + 1), false);
}

/** Weights of 0 to 100 adding up to 100, read to the precision shares are cut at. */
function isRollout(value: unknown): boolean {
  if (!isRecord(value)) return false;
  let sum = 0;
  for (const name in value) {
    const weight = value[name];
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) return false;
    sum += weight;
  }
  return Math.round(sum * ROLLOUT_STEPS_PER_PERCENT) === 100 * ROLLOUT_STEPS_PER_PERCENT;
}

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
