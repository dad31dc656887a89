import { childPath, type WireObject, WireReader } from '../schematic/engine/wire-reader';

/**
 * Readers for FeatBit's camelCase wire JSON: the Schematic engine's `WireReader` with no snake/camel aliasing,
 * plus the few shapes FeatBit adds. Absent or `null` optional fields take their defaults; a field of the wrong
 * type is an `InvalidEntityError` naming the entity and the path.
 */
export class FeatBitReader extends WireReader {
  constructor(entity: 'featbit flag' | 'featbit segment' | 'featbit user') {
    super(entity, false);
  }

  /** An optional boolean; absent or `null` reads as `fallback`. */
  flag(obj: WireObject, field: string, path: string, fallback = false): boolean {
    const value = this.field(obj, field, path);
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') this.fail(childPath(path, field), `expected a boolean, got ${typeof value}`);
    return value;
  }

  /** A list of objects, each read by `read` with its own path. */
  objects<T>(obj: WireObject, field: string, path: string, read: (item: WireObject, itemPath: string) => T): T[] {
    const listPath = childPath(path, field);
    return this.list(obj, field, path).map((item, i) => {
      const itemPath = childPath(listPath, i);
      return read(this.object(item, itemPath), itemPath);
    });
  }

  /** A finite number. */
  finite(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(path, `expected a finite number, got ${JSON.stringify(value) ?? 'nothing'}`);
    return value;
  }

  /** A `[start, end]` pair of finite numbers. */
  interval(obj: WireObject, field: string, path: string): [number, number] {
    const at = childPath(path, field);
    const value = this.field(obj, field, path);
    if (!Array.isArray(value) || value.length !== 2) this.fail(at, 'expected [start, end]');
    return [this.finite(value[0], childPath(at, 0)), this.finite(value[1], childPath(at, 1))];
  }
}

export { childPath, type WireObject };
