import { type CoercedValue, coerce } from './coerce';
import type { ParsedTrait, ParsedTraitDefinition } from './trait-types';

/**
 * Which trait definitions a set of traits has, in order: shared by every subject with the same definitions, as
 * most of an environment's users and companies are. A subject then keeps one coerced value per trait and nothing
 * else, instead of a Map, a definition and an object per trait.
 */
class TraitShape {
  /** Where each definition id's value sits; the first trait of an id wins, as Schematic's engine reads them. */
  readonly slotById = new Map<string, number>();
  /** The shapes this one grows into with one more definition, so overlays share shapes too. */
  readonly grown = new Map<string, TraitShape>();

  constructor(readonly definitions: readonly (ParsedTraitDefinition | null)[], readonly ids: readonly (string | null)[]) {
    ids.forEach((id, slot) => {
      if (id !== null && !this.slotById.has(id)) this.slotById.set(id, slot);
    });
  }
}

/** Enough shapes for any environment's kinds of subject; past it, shapes are made per subject (correct, larger). */
const MAX_SHAPES = 4096;
const shapes = new Map<string, TraitShape>();
const EMPTY_SHAPE = new TraitShape([], []);

function signatureOf(definitions: readonly (ParsedTraitDefinition | null)[]): string {
  let signature = '';
  for (const d of definitions) signature += d === null ? '\u0001' : `${d.id}\u0000${d.comparableType}\u0000${d.entityType}\u0001`;
  return signature;
}

function shapeOf(definitions: readonly (ParsedTraitDefinition | null)[]): TraitShape {
  if (definitions.length === 0) return EMPTY_SHAPE;
  const signature = signatureOf(definitions);
  const known = shapes.get(signature);
  if (known) return known;
  const shape = new TraitShape(definitions, definitions.map((d) => d?.id ?? null));
  if (shapes.size < MAX_SHAPES) shapes.set(signature, shape);
  return shape;
}

/**
 * Coerced values of trait texts, shared: the same few texts ('admin', 'DE', 'true', '42') recur across thousands of
 * subjects, and coercing reads each as a number, an integer and a date. Bounded: past it, values are made per trait.
 */
const MAX_SHARED_VALUES = 65_536;
const sharedValues = new Map<string, CoercedValue>();

export function sharedCoerce(text: string): CoercedValue {
  const known = sharedValues.get(text);
  if (known) return known;
  const value = coerce(text);
  // Long texts are rarely shared (ids, emails, notes): they would only crowd the table.
  if (text.length <= 64 && sharedValues.size < MAX_SHARED_VALUES) sharedValues.set(text, value);
  return value;
}

/** One trait as parsed: its own definition (`null` when it has none) and its value read every way. */
interface TraitEntry {
  readonly definition: ParsedTraitDefinition | null;
  readonly value: CoercedValue;
}

/** A subject's traits, found by definition id: stored (TraitSet) or with a request's attributes laid over. */
export interface Traits {
  /** The coerced value of the trait with this definition id, or `undefined` when the subject has none. */
  coerced(definitionId: string): CoercedValue | undefined;
  /** The trait's own definition: `null` for one without (laid over from the request), `undefined` when absent. */
  definition(definitionId: string): ParsedTraitDefinition | null | undefined;
  has(definitionId: string): boolean;
  /** The trait with this definition id, as one object (made on each call: evaluation reads `coerced` instead). */
  get(definitionId: string): ParsedTrait | undefined;
  /** Every trait, in order. */
  all(): ParsedTrait[];
  /** These traits with `[definition id, text]` laid over them (see TraitSet.with). */
  with(overrides: Iterable<readonly [string, string]>): Traits;
}

/** How many values a TraitSet holds in its own fields (see TraitSet). */
const INLINE_VALUES = 4;

/**
 * A subject's traits: a shared shape and one value per slot. The first four values sit in the set itself and only
 * the rest in an array: most subjects have a handful of traits, and an array would cost its own header and backing
 * store (some 80 bytes) for each of the hundreds of thousands of users a store may hold. Immutable; `with` makes a
 * new set (request-time attributes and keys read as attributes are laid over the stored traits this way, never
 * into them).
 */
export class TraitSet implements Traits {
  static readonly EMPTY = new TraitSet(EMPTY_SHAPE, []);

  private readonly v0: CoercedValue | undefined;
  private readonly v1: CoercedValue | undefined;
  private readonly v2: CoercedValue | undefined;
  private readonly v3: CoercedValue | undefined;
  /** Values past the fourth, or `null` when there are none. */
  private readonly rest: readonly CoercedValue[] | null;

  private constructor(
    private readonly shape: TraitShape,
    values: readonly CoercedValue[],
  ) {
    this.v0 = values[0];
    this.v1 = values[1];
    this.v2 = values[2];
    this.v3 = values[3];
    this.rest = values.length > INLINE_VALUES ? values.slice(INLINE_VALUES) : null;
  }

  static of(traits: readonly TraitEntry[]): TraitSet {
    if (traits.length === 0) return TraitSet.EMPTY;
    return new TraitSet(
      shapeOf(traits.map((t) => t.definition)),
      traits.map((t) => t.value),
    );
  }

  get size(): number {
    return this.shape.ids.length;
  }

  /** The coerced value of the trait with this definition id, or `undefined` when the subject has none. */
  coerced(definitionId: string): CoercedValue | undefined {
    const slot = this.shape.slotById.get(definitionId);
    return slot === undefined ? undefined : this.valueAt(slot);
  }

  /** The trait's own definition: `null` for one without (laid over from the request), `undefined` when absent. */
  definition(definitionId: string): ParsedTraitDefinition | null | undefined {
    const slot = this.shape.slotById.get(definitionId);
    return slot === undefined ? undefined : this.shape.definitions[slot];
  }

  has(definitionId: string): boolean {
    return this.shape.slotById.has(definitionId);
  }

  /** The trait with this definition id, as one object (made on each call: evaluation reads `coerced` instead). */
  get(definitionId: string): ParsedTrait | undefined {
    const slot = this.shape.slotById.get(definitionId);
    return slot === undefined ? undefined : this.traitAt(slot);
  }

  /** Every trait, in order, duplicates included (as the subject declared them). */
  all(): ParsedTrait[] {
    return this.values().map((_, slot) => this.traitAt(slot));
  }

  private valueAt(slot: number): CoercedValue {
    switch (slot) {
      case 0:
        return this.v0 as CoercedValue;
      case 1:
        return this.v1 as CoercedValue;
      case 2:
        return this.v2 as CoercedValue;
      case 3:
        return this.v3 as CoercedValue;
      default:
        return (this.rest as readonly CoercedValue[])[slot - INLINE_VALUES] as CoercedValue;
    }
  }

  private values(): CoercedValue[] {
    return Array.from({ length: this.size }, (_, slot) => this.valueAt(slot));
  }

  private traitAt(slot: number): ParsedTrait {
    const coerced = this.valueAt(slot);
    return { definition: this.shape.definitions[slot] ?? null, value: coerced.text, coerced };
  }

  /**
   * These traits with `[definition id, text]` laid over them, without definitions of their own (so each compares
   * as its condition says). Where an id is already here, the given text replaces its value and its definition.
   */
  with(overrides: Iterable<readonly [string, string]>): Traits {
    let shape: TraitShape = this.shape;
    const values = this.values();
    for (const [id, text] of overrides) {
      const slot = shape.slotById.get(id);
      if (slot !== undefined && shape.definitions[slot] === null) {
        values[slot] = sharedCoerce(text);
        continue;
      }
      shape = grownShape(shape, id, slot);
      const at = shape.slotById.get(id) as number;
      values[at] = sharedCoerce(text);
    }
    return new TraitSet(shape, values);
  }
}

/**
 * The shape with `id`'s slot holding a trait without a definition: its own slot replaced when it has one, else
 * a slot added at the end. Remembered on the shape, so every request laying the same attribute shares it.
 */
function grownShape(shape: TraitShape, id: string, slot: number | undefined): TraitShape {
  const known = shape.grown.get(id);
  if (known) return known;
  const definitions = shape.definitions.slice();
  const ids = shape.ids.slice();
  if (slot === undefined) {
    definitions.push(null);
    ids.push(id);
  } else definitions[slot] = null;
  const grown = new TraitShape(definitions, ids);
  if (shape.grown.size < 64) shape.grown.set(id, grown);
  return grown;
}

/** `user.country` → `country` for the entity `user`; cached, as conditions name the same few ids again and again. */
const namesById: Record<'company' | 'user', Map<string, string | null>> = { company: new Map(), user: new Map() };

function attributeName(entity: 'company' | 'user', definitionId: string): string | null {
  const names = namesById[entity];
  let name = names.get(definitionId);
  if (name === undefined) {
    name = definitionId.startsWith(`${entity}.`) ? definitionId.slice(entity.length + 1) : null;
    if (names.size < 4096) names.set(definitionId, name);
  }
  return name;
}

/** What a request-time attribute may hold; anything else is not an attribute and is ignored. */
export function isAttributeText(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * Traits with a request's attributes laid over them, read in place: nothing is copied or coerced until a
 * condition reads a trait, and then only that one (`user.country` reads the attribute `country`, the trait
 * definitions of the flags file being named `<entity>.<name>`). A laid attribute has no definition of its own,
 * so it compares as its condition says.
 */
export class AttributeTraits implements Traits {
  constructor(
    private readonly base: Traits,
    private readonly entity: 'company' | 'user',
    private readonly attributes: Readonly<Record<string, unknown>>,
  ) {}

  /** The last trait looked up: a condition asks for its value and then its definition, one after the other. */
  private lastId: string | null = null;
  private lastText: string | undefined = undefined;

  private text(definitionId: string): string | undefined {
    if (definitionId === this.lastId) return this.lastText;
    const name = attributeName(this.entity, definitionId);
    const value = name === null || !Object.hasOwn(this.attributes, name) ? undefined : this.attributes[name];
    const text = isAttributeText(value) ? String(value) : undefined;
    this.lastId = definitionId;
    this.lastText = text;
    return text;
  }

  coerced(definitionId: string): CoercedValue | undefined {
    const text = this.text(definitionId);
    return text === undefined ? this.base.coerced(definitionId) : sharedCoerce(text);
  }

  definition(definitionId: string): ParsedTraitDefinition | null | undefined {
    return this.text(definitionId) === undefined ? this.base.definition(definitionId) : null;
  }

  has(definitionId: string): boolean {
    return this.text(definitionId) !== undefined || this.base.has(definitionId);
  }

  get(definitionId: string): ParsedTrait | undefined {
    const text = this.text(definitionId);
    return text === undefined ? this.base.get(definitionId) : { definition: null, value: text, coerced: sharedCoerce(text) };
  }

  all(): ParsedTrait[] {
    return this.laid().all();
  }

  with(overrides: Iterable<readonly [string, string]>): Traits {
    return this.laid().with(overrides);
  }

  /** The same traits as one set: for the rare callers that list them or lay more over them. */
  private laid(): Traits {
    const overrides: [string, string][] = [];
    for (const name in this.attributes) {
      const value = this.attributes[name];
      if (Object.hasOwn(this.attributes, name) && isAttributeText(value)) overrides.push([`${this.entity}.${name}`, String(value)]);
    }
    return this.base.with(overrides);
  }
}
