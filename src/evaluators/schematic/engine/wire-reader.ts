import { type EntityKind, InvalidEntityError } from '../../../core/errors';

/**
 * Field readers for wire JSON that accept exactly what Schematic's engine accepts when it is handed
 * `JSON.stringify(value)`: entity fields in snake_case or camelCase (never both), `undefined` as absent,
 * non-finite numbers as `null`, `toJSON()` honoured (so a `Date` reads as its ISO string), integers within
 * i64 range.
 */
export type WireObject = Readonly<Record<string, unknown>>;

const I64_LIMIT = 2 ** 63;
const camelCache = new Map<string, string>();

function camelCase(snake: string): string {
  let camel = camelCache.get(snake);
  if (camel === undefined) {
    camel = snake.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
    camelCache.set(snake, camel);
  }
  return camel;
}

/** What `JSON.stringify` would make of a value: `undefined` when it would leave the field out. */
function asJson(value: unknown): unknown {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return asJson((value as { toJSON: () => unknown }).toJSON());
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  return `a ${typeof value}`;
}

export function childPath(path: string, field: string | number): string {
  if (typeof field === 'number') return `${path}[${field}]`;
  return path ? `${path}.${field}` : field;
}

/** Reads the fields of one kind of entity, naming that entity in every error. */
export class WireReader {
  /** @param camelCaseAliases whether fields may also be spelled in camelCase (entities yes, options no). */
  constructor(
    readonly entity: EntityKind,
    private readonly camelCaseAliases = true,
  ) {}

  fail(path: string, problem: string): never {
    throw new InvalidEntityError(this.entity, path, problem);
  }

  /** A JSON object (a plain record, not an array). */
  object(value: unknown, path: string): WireObject {
    const json = asJson(value);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      this.fail(path, `expected an object, got ${describe(json)}`);
    }
    return json as WireObject;
  }

  /** The field's value in either spelling, or `undefined` when absent. */
  field(obj: WireObject, snake: string, path: string): unknown {
    const snakeValue = asJson(obj[snake]);
    if (!this.camelCaseAliases) return snakeValue;
    const camel = camelCase(snake);
    if (camel === snake) return snakeValue;
    const camelValue = asJson(obj[camel]);
    if (snakeValue !== undefined && camelValue !== undefined) {
      this.fail(childPath(path, snake), `the field is given twice, as "${snake}" and as "${camel}"`);
    }
    return snakeValue !== undefined ? snakeValue : camelValue;
  }

  string(obj: WireObject, snake: string, path: string): string {
    const value = this.field(obj, snake, path);
    if (typeof value !== 'string') this.missingOrWrong(value, childPath(path, snake), 'a string');
    return value;
  }

  optionalString(obj: WireObject, snake: string, path: string): string | null {
    const value = this.field(obj, snake, path);
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') this.fail(childPath(path, snake), `expected a string, got ${describe(value)}`);
    return value;
  }

  boolean(obj: WireObject, snake: string, path: string): boolean {
    const value = this.field(obj, snake, path);
    if (typeof value !== 'boolean') this.missingOrWrong(value, childPath(path, snake), 'a boolean');
    return value;
  }

  integer(obj: WireObject, snake: string, path: string): number {
    const value = this.field(obj, snake, path);
    if (!isI64(value)) this.missingOrWrong(value, childPath(path, snake), 'an integer');
    return value;
  }

  optionalInteger(obj: WireObject, snake: string, path: string): number | null {
    const value = this.field(obj, snake, path);
    if (value === undefined || value === null) return null;
    if (!isI64(value)) this.fail(childPath(path, snake), `expected an integer, got ${describe(value)}`);
    return value;
  }

  optionalNumber(obj: WireObject, snake: string, path: string): number | null {
    const value = this.field(obj, snake, path);
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number') this.fail(childPath(path, snake), `expected a number, got ${describe(value)}`);
    return value;
  }

  enumValue<T extends string>(obj: WireObject, snake: string, allowed: ReadonlySet<string>, path: string): T {
    const value = this.field(obj, snake, path);
    if (typeof value !== 'string' || !allowed.has(value)) {
      this.missingOrWrong(value, childPath(path, snake), `one of ${[...allowed].join(', ')}`);
    }
    return value as T;
  }

  optionalEnum<T extends string>(obj: WireObject, snake: string, allowed: ReadonlySet<string>, path: string): T | null {
    const value = this.field(obj, snake, path);
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string' || !allowed.has(value)) {
      this.fail(childPath(path, snake), `expected one of ${[...allowed].join(', ')}, got ${describe(value)}`);
    }
    return value as T;
  }

  /** An array field; absent or `null` reads as empty. Items come back as JSON would carry them. */
  list(obj: WireObject, snake: string, path: string): unknown[] {
    const value = this.field(obj, snake, path);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(childPath(path, snake), `expected an array, got ${describe(value)}`);
    return value.map((item) => asJson(item) ?? null);
  }

  stringList(obj: WireObject, snake: string, path: string): string[] {
    const items = this.list(obj, snake, path);
    for (let i = 0; i < items.length; i++) {
      if (typeof items[i] !== 'string') {
        this.fail(childPath(childPath(path, snake), i), `expected a string, got ${describe(items[i])}`);
      }
    }
    return items as string[];
  }

  /** An object field used as a map; absent or `null` reads as empty (unless `nullable` is false). */
  map(obj: WireObject, snake: string, path: string, nullable = true): Map<string, unknown> {
    const value = this.field(obj, snake, path);
    const map = new Map<string, unknown>();
    if (value === undefined || (value === null && nullable)) return map;
    const record = this.object(value, childPath(path, snake));
    for (const key of Object.keys(record)) {
      const item = asJson(record[key]);
      if (item !== undefined) map.set(key, item);
    }
    return map;
  }

  stringMap(obj: WireObject, snake: string, path: string): Record<string, string> {
    const result: Record<string, string> = {};
    const entries = this.map(obj, snake, path);
    for (const [key, value] of entries) {
      if (typeof value !== 'string') this.fail(childPath(childPath(path, snake), key), `expected a string, got ${describe(value)}`);
      result[key] = value;
    }
    // A store keeps one key map per company and user: a copy spread from a plain object holding just these
    // strings (as JSON gives) holds exactly its properties, where one built by assignment keeps room for more
    // (some 16 bytes).
    const source = this.field(obj, snake, path);
    return isPlainRecord(source) && Object.keys(source).length === entries.size ? ({ ...source } as Record<string, string>) : result;
  }

  numberMap(obj: WireObject, snake: string, path: string, nullable = true): Map<string, number> {
    const result = new Map<string, number>();
    for (const [key, value] of this.map(obj, snake, path, nullable)) {
      if (typeof value !== 'number') this.fail(childPath(childPath(path, snake), key), `expected a number, got ${describe(value)}`);
      result.set(key, value);
    }
    return result;
  }

  private missingOrWrong(value: unknown, path: string, expected: string): never {
    if (value === undefined) this.fail(path, `missing required field (expected ${expected})`);
    this.fail(path, `expected ${expected}, got ${describe(value)}`);
  }
}

function isI64(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > -I64_LIMIT && value < I64_LIMIT;
}

/**
 * A record as JSON gives one: a plain object (or one without a prototype), no `toJSON`, no symbol keys. What the
 * fast paths copy or read directly; anything else goes through the reader's field by field.
 */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return (
    (prototype === Object.prototype || prototype === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function' &&
    Object.getOwnPropertySymbols(value).length === 0
  );
}
