import { asFlagwireError, FlagwireConfigError } from '../core/errors';
import type { FlagSink, FlagSource } from '../core/flag-set';
import { isFlagValue, type FlagValue } from '../core/values';
import { loadFlagsText } from '../flags-file/load';
import { flagSetOf } from '../sources/file/flag-set-of';

/**
 * Flags a test sets: each key serves one value, whatever the context, as a flag of the flags file declared with
 * that one variation (so the value, its variation and the reasons read as a real client's do). Every flag is
 * client-visible, so browser payloads carry them. `set` delivers a new flag set, and the client emits `change`
 * for the keys whose values changed, as it does for a live source.
 */
export class TestFlagsSource implements FlagSource {
  private readonly values = new Map<string, FlagValue>();
  private sink: FlagSink | null = null;

  constructor(values: Readonly<Record<string, FlagValue>>) {
    for (const [key, value] of Object.entries(values)) this.values.set(key, checked(key, value));
  }

  start(sink: FlagSink): void {
    this.sink = sink;
    sink.health(true);
    this.deliver();
  }

  set(key: string, value: FlagValue): void {
    this.values.set(key, checked(key, value));
    this.deliver();
  }

  delete(key: string): void {
    this.values.delete(key);
    this.deliver();
  }

  close(): void {
    this.sink = null;
  }

  private deliver(): void {
    if (this.sink === null) return;
    const flags = Object.fromEntries([...this.values].map(([key, value]) => [key, declaration(value)]));
    try {
      this.sink.replace(flagSetOf(loadFlagsText(JSON.stringify({ flags }), '<test flags>')));
    } catch (error) {
      this.sink.failed(asFlagwireError(error, 'invalid_flags_file'));
    }
  }
}

function checked(key: string, value: unknown): FlagValue {
  if (typeof key !== 'string' || key === '') throw new FlagwireConfigError('flags', 'a test flag needs a non-empty key');
  if (!isFlagValue(value)) throw new FlagwireConfigError('flags', `test flag "${key}": a value is JSON data (a boolean, string, number, array, object or null)`);
  return value;
}

/** The flags-file declaration that serves `value` to everyone. */
function declaration(value: FlagValue): object {
  if (typeof value === 'boolean') return { default: value, client: true };
  if (typeof value === 'string' || typeof value === 'number') return { variations: [value], default: value, client: true };
  return { variations: { value }, default: 'value', client: true };
}
