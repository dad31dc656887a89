import { evaluate, evaluateValue, explain, type FlagExplanation, matchingRule, type ParsedFlag, type Subjects, type WireTraitDefinition } from './engine';
import { type FlagDefinition, ON_OFF_VARIATIONS } from '../../core/definitions';
import type { EvaluationRequest, FlagSet } from '../../core/flag-set';
import type { FlagResults } from '../../core/results';
import type { CheckFlagResult } from '../../core/types';
import type { VariationDetail } from '../../core/values';
import { KeyAttributes } from './variants/key-attributes';
import { attributeReader, hasAny, withRequestAttributes } from './variants/request-attributes';
import type { VariantFlag } from './variants/types';
import { variantCheckResult, variantOfResult, variantOfRule } from './variants/variant-detail';
import { evaluatedResults, type Variants } from './evaluated-results';
import { FlagSlots, KeptEvaluations } from './kept-evaluations';
import { attributesConditionsRead, attributesKey, type ReadAttributes } from './attributes-key';
import { ResultsMemo } from './results-memo';

export interface SchematicFlagsInput {
  readonly flags: ReadonlyMap<string, ParsedFlag>;
  /** A flag's fingerprint (its wire JSON, with what it serves): read once per flag, when a change is looked for. */
  readonly fingerprint: (key: string) => string | undefined;
  /** What flags with variations serve (the flags file); none for Schematic's own flags. */
  readonly variants?: ReadonlyMap<string, VariantFlag>;
  /** Flags the source marks client-visible. */
  readonly clientKeys?: ReadonlySet<string>;
  /**
   * Whether conditions read the request's attributes and the entities' keys (flagwire's flags file) or only
   * stored traits, as Schematic's own engine does (DataStream, Redis).
   */
  readonly requestAttributes: boolean;
  /** How keys are laid under traits for conditions to read (the concise flags file's); none by default. */
  readonly keyAttributes?: KeyAttributes;
  /** The trait definitions the flags' conditions use, by id: the types identify and upserts give traits. */
  readonly traitDefinitions?: ReadonlyMap<string, WireTraitDefinition>;
  /** What each flag is for, by key (the flags file's `description`); Schematic's wire flags carry none. */
  readonly descriptions?: ReadonlyMap<string, string>;
}

const NO_VARIANTS: ReadonlyMap<string, VariantFlag> = new Map();
const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * Schematic's rules (with flagwire's variations and rollouts on top, for the flags file) evaluated by the native
 * engine. Results are kept per company and user while they depend on nothing else (see ResultsMemo); a new set
 * comes with a new memo, so nothing evaluated under older flags is ever read.
 */
export class SchematicFlagSet implements FlagSet {
  readonly flags: ReadonlyMap<string, ParsedFlag>;
  readonly variants: ReadonlyMap<string, VariantFlag>;
  readonly traitDefinitions: ReadonlyMap<string, WireTraitDefinition>;
  private readonly input: SchematicFlagsInput;
  private readonly keyAttributes: KeyAttributes;
  private readonly memo = new ResultsMemo<KeptEvaluations>();
  private readonly fingerprints = new Map<string, string | undefined>();
  private flagKeys: readonly string[] | null = null;
  private flagSlots: FlagSlots | null = null;
  /** The request attributes the flags' conditions read, worked out on the first request that has any. */
  private readAttributes: ReadAttributes | null = null;
  /** The set's client keys with the app's, for the last `clientFlags` seen (the client's: always the same set). */
  private clientKeys: { readonly given: ReadonlySet<string>; readonly all: ReadonlySet<string> } | null = null;

  constructor(input: SchematicFlagsInput) {
    this.input = input;
    this.flags = input.flags;
    this.variants = input.variants ?? NO_VARIANTS;
    this.keyAttributes = input.keyAttributes ?? KeyAttributes.NONE;
    this.traitDefinitions = input.traitDefinitions ?? new Map();
  }

  keys(): readonly string[] {
    this.flagKeys ??= [...this.flags.keys()];
    return this.flagKeys;
  }

  has(key: string): boolean {
    return this.flags.has(key);
  }

  fingerprint(key: string): string | undefined {
    if (!this.fingerprints.has(key)) this.fingerprints.set(key, this.input.fingerprint(key));
    return this.fingerprints.get(key);
  }

  results(request: EvaluationRequest): FlagResults {
    const keyed = this.keyedSubjects(request);
    const withKeys = this.withContextKeys(keyed, request);
    return this.resultsWith(request, keyed, withKeys, this.keptFor(request, keyed, withKeys));
  }

  private resultsWith(request: EvaluationRequest, keyed: Subjects, withKeys: Subjects, kept: KeptEvaluations | null): FlagResults {
    const clientKeys = this.clientKeysWith(request.clientFlags);
    // The request's attributes are laid over the subjects only when something is evaluated, and then once.
    let laid: Subjects | null = null;
    const subjects = (): Subjects => (laid ??= this.withAttributes(withKeys, request));
    if (kept === null) return evaluatedResults(this.flags, subjects(), request.now, clientKeys, { variants: this.variantsFor(request, subjects) });
    if (this.variants.size > 0) return evaluatedResults(this.flags, subjects, request.now, clientKeys, { kept, variantsKept: keyed.user !== null, variants: this.variantsFor(request, subjects) });
    kept.results ??= evaluatedResults(this.flags, subjects(), request.now, clientKeys, { kept });
    return kept.results;
  }

  variant(key: string, request: EvaluationRequest): VariationDetail | undefined {
    const flag = this.flags.get(key);
    const variantFlag = this.variants.get(key);
    if (!flag || !variantFlag) return undefined;
    const keyed = this.keyedSubjects(request);
    const withKeys = this.withContextKeys(keyed, request);
    const kept = this.keptFor(request, keyed, withKeys);
    // What is kept answers through the results that keep it; anything else is evaluated here, with no results made around it.
    if (kept !== null) return this.resultsWith(request, keyed, withKeys, kept).variant?.(key);
    const subjects = this.withAttributes(withKeys, request);
    return variantOfRule(variantFlag, matchingRule(flag, subjects), attributeReader(request.context, subjects));
  }

  value(key: string, request: EvaluationRequest): boolean | undefined {
    const flag = this.flags.get(key);
    // A flag with variations may answer the caller's default (a rollout that cannot bucket): `check()` knows.
    if (!flag || this.variants.has(key)) return undefined;
    const keyed = this.keyedSubjects(request);
    const withKeys = this.withContextKeys(keyed, request);
    const kept = this.keptFor(request, keyed, withKeys);
    const known = kept === null ? undefined : (kept.value(key) ?? kept.checked(key)?.value);
    if (known !== undefined) return known;
    const value = evaluateValue(flag, this.withAttributes(withKeys, request));
    kept?.keepValue(key, value);
    return value;
  }

  check(key: string, request: EvaluationRequest): CheckFlagResult | undefined {
    const flag = this.flags.get(key);
    if (!flag) return undefined;
    const keyed = this.keyedSubjects(request);
    const withKeys = this.withContextKeys(keyed, request);
    const variantFlag = this.variants.get(key);
    // Flags with variations bucket by the request's context: their checks are not kept.
    const kept = variantFlag ? null : this.keptFor(request, keyed, withKeys);
    const known = kept?.checked(key);
    if (known !== undefined) return known;
    const subjects = this.withAttributes(withKeys, request);
    const result = evaluate(flag, subjects, request.now()) as CheckFlagResult;
    kept?.keepChecked(key, result);
    // A check whose preflight options are invalid answers its error whatever the flag serves.
    if (!variantFlag || result.err !== null) return result;
    const detail = variantOfResult(variantFlag, result, attributeReader(request.context, subjects));
    // A rollout that could not bucket the context answers the caller's default, as any check that fails does.
    const checked = variantCheckResult(result, detail);
    return detail.kind === 'error' ? { ...checked, value: request.defaultValue(key) } : checked;
  }

  definition(key: string): FlagDefinition | undefined {
    if (!this.flags.has(key)) return undefined;
    const variant = this.variants.get(key);
    return {
      key,
      description: this.input.descriptions?.get(key) ?? null,
      variations: variant ? variant.variations.map(({ name, value }) => ({ name, label: name, value })) : ON_OFF_VARIATIONS,
      client: this.input.clientKeys?.has(key) ?? false,
    };
  }

  explain(key: string, request: EvaluationRequest): FlagExplanation | null {
    const flag = this.flags.get(key);
    if (!flag) return null;
    const withKeys = this.withContextKeys(this.keyedSubjects(request), request);
    return explain(flag, this.withAttributes(withKeys, request), request.now());
  }

  /**
   * What is kept for this request: per company and user, and per value of each request attribute a condition
   * reads. `null` when its values depend on more: preflight options, context keys laid in for conditions, an
   * entity made for this request (a visitor's id is the context's, which conditions may read), or stored
   * entities with rules of their own (theirs may read other attributes). A rollout may still read the context's
   * key: kept variations are checked against it (see KeptEvaluations).
   */
  private keptFor(request: EvaluationRequest, keyed: Subjects, withKeys: Subjects): KeptEvaluations | null {
    if (keyed.options !== null || withKeys !== keyed) return null;
    const given = this.input.requestAttributes ? request.context.attributes : undefined;
    const onUser = hasAny(given?.user);
    const onCompany = hasAny(given?.company);
    if (!onUser && !onCompany) return this.memo.get(keyed.company, keyed.user, () => new KeptEvaluations(this.slots()));
    const made = (onCompany && keyed.company === null) || (onUser && keyed.user === null);
    if (made || (keyed.company?.rulesByFlagId.size ?? 0) > 0 || (keyed.user?.rulesByFlagId.size ?? 0) > 0) return null;
    this.readAttributes ??= attributesConditionsRead(this.flags.values());
    const key = attributesKey(request.context, this.readAttributes);
    return key === null ? null : this.memo.get(keyed.company, keyed.user, () => new KeptEvaluations(this.slots())).forAttributes(key);
  }

  private slots(): FlagSlots {
    this.flagSlots ??= new FlagSlots(this.flags.keys(), this.variants.keys());
    return this.flagSlots;
  }

  private variantsFor(request: EvaluationRequest, subjects: Subjects | (() => Subjects)): Variants | undefined {
    return this.variants.size === 0 ? undefined : { flags: this.variants, read: attributeReader(request.context, subjects) };
  }

  /**
   * The stored entities as conditions read them, with their keys under their traits: the same objects per entity,
   * so what is kept about them can be found again. For the flags file; Schematic's own flags read the stored
   * entities alone.
   */
  private keyedSubjects(request: EvaluationRequest): Subjects {
    const stored: Subjects = { company: request.company, user: request.user, options: request.options };
    return this.input.requestAttributes ? this.keyAttributes.stored(stored) : stored;
  }

  /** `keyed` with the context's keys laid in (see keyedSubjects). */
  private withContextKeys(keyed: Subjects, request: EvaluationRequest): Subjects {
    return this.input.requestAttributes ? this.keyAttributes.withContextKeys(keyed, request.context) : keyed;
  }

  /** The request's attributes over the subjects (the flags file's; Schematic's flags read none). */
  private withAttributes(subjects: Subjects, request: EvaluationRequest): Subjects {
    return this.input.requestAttributes ? withRequestAttributes(subjects, request.context) : subjects;
  }

  private clientKeysWith(given: ReadonlySet<string>): ReadonlySet<string> {
    const own = this.input.clientKeys ?? NO_KEYS;
    if (own.size === 0) return given;
    if (this.clientKeys?.given !== given) this.clientKeys = { given, all: new Set([...own, ...given]) };
    return this.clientKeys.all;
  }
}
