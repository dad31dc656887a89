/**
 * Type-level test against the built declarations: a Flags SDK declaration served by flagwire is typed by the
 * registered flag its adapter names.
 */
import { flag } from 'flags/next';
import { createFlagwireAdapter } from 'flagwire/flags-sdk';
import { createFlagsClient } from 'flagwire/server';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const exactly =
  <Expected,>() =>
  <Actual,>(_value: Actual, ..._notExactly: Equal<Actual, Expected> extends true ? [] : [never]): void =>
    undefined;

const flagwire = createFlagwireAdapter(createFlagsClient({ flagsFile: 'flagwire.flags.json' }), {
  context: ({ cookie }) => ({ user: { key: cookie('visitor') ?? 'anonymous' } }),
});

export async function flagsSdkTypes(): Promise<void> {
  const headline = flag({ key: 'headline', adapter: flagwire('headline'), options: ['control', 'bold', 'question'] });
  exactly<'control' | 'bold' | 'question'>()(await headline());
  const editor = flag({ key: 'new-editor', adapter: flagwire('new-editor') });
  exactly<boolean>()(await editor());
  const pageSize = flag({ key: 'page-size', adapter: flagwire('page-size') });
  exactly<10 | 25 | 100>()(await pageSize());
  // @ts-expect-error — not a flag of the file
  flagwire('headlin');
  // @ts-expect-error — a number is not one of the flag's values
  flag({ key: 'headline', adapter: flagwire('headline'), defaultValue: 3 });
}
