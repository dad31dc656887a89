import { parseCompany, parseUser, type ParsedCompany, type ParsedUser, type Subjects } from '../engine';
import { copySubject } from '../engine/subject-copy';
import { AttributeTraits, isAttributeText } from '../engine/trait-set';
import type { AttributeValue, EvaluationContext } from '../../../core/types';
import { contextKey } from './context-key';
import type { AttributeReader, AttributeRef } from './types';

type Attributes = Readonly<Record<string, AttributeValue>>;

/** Whether a context carries request-time attributes: its answers then hold for this request only. */
export function hasRequestAttributes(context: EvaluationContext | undefined): boolean {
  const given = context?.attributes;
  return given !== undefined && given !== null && (hasAny(given.user) || hasAny(given.company));
}

/** Whether an entity's request attributes hold any: only then are they laid over it. */
export function hasAny(attributes: Attributes | undefined): boolean {
  if (typeof attributes !== 'object' || attributes === null) return false;
  for (const name in attributes) if (Object.hasOwn(attributes, name)) return true;
  return false;
}

/**
 * The subjects a check evaluates, with the request's attributes laid over the stored traits: a condition on
 * `user.country` reads `attributes.user.country` before the stored user's `country`. A company or user the
 * store does not hold is made for this request from the context's keys, so conditions on its attributes work
 * for visitors nobody has identified. Nothing is stored.
 */
export function withRequestAttributes(subjects: Subjects, context: EvaluationContext): Subjects {
  const given = context.attributes;
  const company = hasAny(given?.company) ? overlay(subjects.company, NO_COMPANY, context.company, 'company', given?.company as Attributes) : subjects.company;
  const user = hasAny(given?.user) ? overlay(subjects.user, NO_USER, context.user, 'user', given?.user as Attributes) : subjects.user;
  return company === subjects.company && user === subjects.user ? subjects : { company, user, options: subjects.options };
}

/** The stored subject (or, for a visitor, one made from the context's keys) with the attributes over its traits: one copy. */
function overlay<S extends ParsedCompany | ParsedUser>(stored: S | null, none: S, keys: Record<string, string> | undefined, entity: 'company' | 'user', attributes: Attributes): S {
  const subject = stored ?? none;
  const traits = new AttributeTraits(subject.traits, entity, attributes);
  return copySubject(subject, stored === null ? { id: contextKey(keys) ?? '', keys: keys ?? {}, traits } : { traits });
}

/**
 * A subject with traits laid over its own, as `[name, text]`: a new object; the stored one is unchanged. Their
 * definitions are the conditions' (none of their own), so each compares as its condition says.
 */
export function withTraits<S extends ParsedCompany | ParsedUser>(subject: S, entity: 'company' | 'user', texts: Iterable<readonly [string, string]>): S {
  const overrides: [string, string][] = [];
  // Trait definitions in the flags file are named `<entity>.<trait>`; conditions find traits by that id.
  for (const [name, text] of texts) overrides.push([`${entity}.${name}`, text]);
  return copySubject(subject, { traits: subject.traits.with(overrides) });
}

// Parsed once: a request's visitor is one of these with its own id and keys, never parsed from wire form.
const SCOPE = { account_id: 'local', environment_id: 'local', id: '', keys: {}, traits: [] } as const;
const NO_COMPANY = parseCompany({ ...SCOPE, plan_ids: [], metrics: [] });
const NO_USER = parseUser(SCOPE);

/** A company made for one request from the context's keys, for a visitor the store does not hold. */
export function transientCompany(keys: Record<string, string> | undefined): ParsedCompany {
  return copySubject(NO_COMPANY, { id: contextKey(keys) ?? '', keys: keys ?? {} });
}

/** A user made for one request from the context's keys, for a visitor the store does not hold. */
export function transientUser(keys: Record<string, string> | undefined): ParsedUser {
  return copySubject(NO_USER, { id: contextKey(keys) ?? '', keys: keys ?? {} });
}

/**
 * Reads the attribute a rollout is sticky by: `user.key`/`company.key` is the context's key (see contextKey);
 * any other name is read in the order conditions read it (see KeyAttributes): the request-time attribute, else
 * the stored trait, else the stored entity's key of that name, else the context's, else (for `id`) the entity's id.
 * `subjectsOf` may be a function: the subjects are then made only when a read gets past the request's own values.
 */
export function attributeReader(context: EvaluationContext, subjectsOf: Subjects | (() => Subjects)): AttributeReader {
  return (ref: AttributeRef) => {
    const keys = ref.entity === 'user' ? context.user : context.company;
    if (ref.name === 'key') return contextKey(keys);
    const given = context.attributes?.[ref.entity];
    if (given && Object.hasOwn(given, ref.name) && isAttributeText(given[ref.name])) return String(given[ref.name]);
    const subjects = typeof subjectsOf === 'function' ? subjectsOf() : subjectsOf;
    const subject = ref.entity === 'user' ? subjects.user : subjects.company;
    const trait = subject?.traits.coerced(`${ref.entity}.${ref.name}`);
    if (trait) return trait.text;
    const storedKey = subject && Object.hasOwn(subject.keys, ref.name) ? subject.keys[ref.name] : undefined;
    if (storedKey !== undefined) return storedKey;
    if (keys && Object.hasOwn(keys, ref.name) && typeof keys[ref.name] === 'string') return keys[ref.name];
    return ref.name === 'id' && subject ? subject.id : undefined;
  };
}
