import { FlagwireConfigError } from '../errors';

/**
 * An option that names a server: `null` when unset or blank, else the URL without trailing slashes.
 * @throws FlagwireConfigError naming `field` when it is not an http(s) URL (or ws(s), where `allowWs`).
 */
export function urlOption(value: unknown, field: string, { allowWs = false } = {}): string | null {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return null;
  const schemes = allowWs ? /^(https?|wss?):\/\// : /^https?:\/\//;
  if (typeof value !== 'string' || !schemes.test(value) || !URL.canParse(value)) {
    throw new FlagwireConfigError(field, `expected an ${allowWs ? 'http(s) or ws(s)' : 'http(s)'} URL, got ${JSON.stringify(value)}`);
  }
  return value.replace(/\/+$/, '');
}
