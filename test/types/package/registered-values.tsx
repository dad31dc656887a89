/**
 * Type-level test against the built declarations (`tsc -p test/types/package`, part of `npm run typecheck`):
 * the flags registered in registered-keys.tsx type the React hooks' values — a boolean for an on/off flag,
 * the declared variations for a flag with variations, the registered type for a default.
 */
import { TestFlagProvider, useFlag, useFlagDetail, useFlags } from 'flagwire/react';
import type { FlagValue } from 'flagwire/server';

/** `true` only when A and B are the same type (not merely assignable either way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** `exactly<T>()(value)` compiles only when `value`'s type is exactly T (else it asks for a second argument). */
const exactly =
  <Expected,>() =>
  <Actual,>(_value: Actual, ..._notExactly: Equal<Actual, Expected> extends true ? [] : [never]): void =>
    undefined;

export function OnOffValues() {
  const editor = useFlag('new-editor');
  exactly<boolean>()(editor);
  const withDefault = useFlag('new-editor', true);
  exactly<boolean>()(withDefault);
  // @ts-expect-error — an on/off flag's default is a boolean
  useFlag('new-editor', 'on');
  const all = useFlags();
  exactly<Readonly<Record<string, FlagValue>>>()(all);
  const variation = useFlagDetail('new-editor')?.variation;
  exactly<string | undefined>()(variation);
  return <TestFlagProvider flags={{ 'new-editor': true, headline: 'bold', 'page-size': 25 }}>{editor ? 'on' : 'off'}</TestFlagProvider>;
}

export function VariantValues() {
  // A flag the page was not sent reads as false; sent, it is one of the declared variations.
  const headline = useFlag('headline');
  exactly<'control' | 'bold' | false>()(headline);
  const withDefault = useFlag('headline', 'control');
  exactly<'control' | 'bold'>()(withDefault);
  // @ts-expect-error — not one of the declared variations
  useFlag('headline', 'question');
  // @ts-expect-error — a flag of strings takes a string default
  useFlag('headline', 0);
  const pageSize = useFlag('page-size', 10);
  exactly<10 | 25>()(pageSize);
  return <h1>{withDefault === 'bold' ? 'Bold' : 'Plain'}</h1>;
}
