/**
 * The fingerprint of each company's or user's declaration at a flags file's last load, by id: what the next load
 * compares with, so an entity the file did not change is not parsed again. Kept as two arrays (an id and a number
 * per entity, some 16 bytes) rather than a map: a file may declare hundreds of thousands of users, and the index by
 * id is needed only at the next reload or runtime write, so it is built then.
 */
export class Declarations {
  static readonly NONE = new Declarations([], new Float64Array(0));

  private index: Map<string, number> | null = null;

  constructor(
    private readonly ids: readonly string[],
    private readonly prints: Float64Array,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  /** The fingerprint `id` was declared with, or `undefined` when the last load did not declare it. */
  printOf(id: string): number | undefined {
    const at = this.indexOf(id);
    return at === undefined ? undefined : this.prints[at];
  }

  has(id: string): boolean {
    return this.size > 0 && this.indexOf(id) !== undefined;
  }

  private indexOf(id: string): number | undefined {
    this.index ??= new Map(this.ids.map((declared, at) => [declared, at]));
    return this.index.get(id);
  }
}

/** Declarations recorded one entity at a time, in the file's order. */
export class DeclarationsBuilder {
  private readonly ids: string[] = [];
  private readonly prints: Float64Array;

  constructor(count: number) {
    this.prints = new Float64Array(count);
  }

  add(id: string, print: number): void {
    this.prints[this.ids.length] = print;
    this.ids.push(id);
  }

  build(): Declarations {
    return this.ids.length === 0 ? Declarations.NONE : new Declarations(this.ids, this.prints.length === this.ids.length ? this.prints : this.prints.slice(0, this.ids.length));
  }
}
