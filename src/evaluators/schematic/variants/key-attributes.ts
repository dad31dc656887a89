import type { ParsedCompany, ParsedUser, Subjects } from '../engine';
import type { EvaluationContext } from '../../../core/types';
import { transientCompany, transientUser, withTraits } from './request-attributes';

type Entity = 'company' | 'user';
type Subject = ParsedCompany | ParsedUser;

const NONE_MISSING: readonly (readonly [string, string])[] = [];

/**
 * Keys read as attributes by the flags file's conditions: `user.email = ada@acme.test` holds for the user whose key
 * `email` is that, as people write conditions on what identifies their users. One order, for conditions and
 * rollouts alike: the request's attributes, then the stored entity's traits, then its keys, then the context's keys
 * (which find the entity, in any case; they speak for it only where nothing stored does, as for a visitor nobody
 * identified). Only the names the flags' conditions read are laid in, so most checks change nothing.
 *
 * Not for Schematic's flags (the snapshot format, DataStream): Schematic's engine reads traits only, and flagwire
 * evaluates its flags as it does.
 */
export class KeyAttributes {
  static readonly NONE = new KeyAttributes([], []);
  /** Each stored entity that has keys to lay under its traits, with them laid, made once: the same object per entity, so results stay memoizable. */
  private readonly laid = new WeakMap<Subject, Subject>();

  /** The same names as sets: a context's keys (one or two, most often) are looked up in them. */
  private readonly names: Record<Entity, ReadonlySet<string>>;

  private constructor(
    private readonly companyNames: readonly string[],
    private readonly userNames: readonly string[],
  ) {
    this.names = { company: new Set(companyNames), user: new Set(userNames) };
  }

  /** For conditions on these trait ids (`user.email`, `company.domain`, …). */
  static of(traitIds: Iterable<string>): KeyAttributes {
    const names: Record<Entity, string[]> = { company: [], user: [] };
    for (const id of traitIds) {
      const dot = id.indexOf('.');
      const entity = id.slice(0, dot);
      if (entity === 'company' || entity === 'user') names[entity].push(id.slice(dot + 1));
    }
    return names.company.length + names.user.length === 0 ? KeyAttributes.NONE : new KeyAttributes(names.company, names.user);
  }

  /** The stored subjects with their keys under their traits; the subjects themselves when that adds nothing. */
  stored(subjects: Subjects): Subjects {
    if (this === KeyAttributes.NONE) return subjects;
    const company = subjects.company && this.storedKeys(subjects.company, 'company');
    const user = subjects.user && this.storedKeys(subjects.user, 'user');
    return company === subjects.company && user === subjects.user ? subjects : { company, user, options: subjects.options };
  }

  /** The context's keys under all that, for the names nothing stored gives: for this request only. */
  withContextKeys(subjects: Subjects, context: EvaluationContext): Subjects {
    if (this === KeyAttributes.NONE) return subjects;
    const company = this.contextKeys(subjects.company, context.company, 'company');
    const user = this.contextKeys(subjects.user, context.user, 'user');
    return company === subjects.company && user === subjects.user ? subjects : { company, user, options: subjects.options };
  }

  private storedKeys<S extends Subject>(subject: S, entity: Entity): S {
    // Most entities have no key the conditions read: they are their own, and nothing is kept about them (a
    // first read of an entity then costs no WeakMap entry). The others are laid once and found again.
    if (!this.missesAny(subject, subject.keys, entity)) return subject;
    const made = this.laid.get(subject);
    if (made) return made as S;
    const laid = withTraits(subject, entity, this.missing(subject, subject.keys, entity));
    this.laid.set(subject, laid);
    return laid;
  }

  private contextKeys<S extends Subject>(subject: S | null, keys: Readonly<Record<string, string>> | undefined, entity: Entity): S | null {
    if (keys === undefined || keys === null || !this.namesAny(keys, entity)) return subject;
    const texts = this.missing(subject, keys, entity);
    if (texts.length === 0) return subject;
    const base = subject ?? ((entity === 'company' ? transientCompany(keys) : transientUser(keys)) as S);
    return withTraits(base, entity, texts);
  }

  /** Whether the context names any key the conditions read: a visitor's `key` alone, most often, names none. */
  private namesAny(keys: Readonly<Record<string, string>>, entity: Entity): boolean {
    const names = this.names[entity];
    for (const name in keys) if (names.has(name)) return true;
    return false;
  }

  /** Whether `missing` would name any, with nothing made. */
  private missesAny(subject: Subject, keys: Readonly<Record<string, string>>, entity: Entity): boolean {
    for (const name of entity === 'company' ? this.companyNames : this.userNames) if (missingText(subject, keys, entity, name) !== undefined) return true;
    return false;
  }

  /** `[name, text]` of the keys whose names conditions read and the subject has no trait of. */
  private missing(subject: Subject | null, keys: Readonly<Record<string, string>>, entity: Entity): readonly (readonly [string, string])[] {
    // Made only when one is missing: most requests (a visitor's key alone) have none, and this runs per request.
    let texts: [string, string][] | null = null;
    for (const name of entity === 'company' ? this.companyNames : this.userNames) {
      const text = missingText(subject, keys, entity, name);
      if (text !== undefined) (texts ??= []).push([name, text]);
    }
    return texts ?? NONE_MISSING;
  }
}

/** The key `name`'s text when conditions should read it as a trait: the subject has no trait of that name. */
function missingText(subject: Subject | null, keys: Readonly<Record<string, string>>, entity: Entity, name: string): string | undefined {
  const value = Object.hasOwn(keys, name) ? keys[name] : undefined;
  return typeof value === 'string' && !subject?.traits.has(`${entity}.${name}`) ? value : undefined;
}
