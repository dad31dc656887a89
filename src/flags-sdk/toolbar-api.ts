import { TOOLBAR_HEADER, type ToolbarFlag, type ToolbarState } from '../browser/toolbar-state';
import { OVERRIDES_COOKIE, overridesCookieIn, readOverridesCookie, writeOverridesCookie } from './overrides-cookie';
import { type FlagKey, type FlagOverrides, type FlagsClient, type FlagsSnapshot, type FlagValue, hasTypeOf, isFlagValue } from '../server';

export { TOOLBAR_HEADER } from '../browser/toolbar-state';
export type { ToolbarChange, ToolbarFlag, ToolbarState } from '../browser/toolbar-state';

/**
 * The overrides endpoint flagwire's toolbar talks to, for any framework: what it lists (GET) and how a change
 * (POST) becomes the new overrides. The Express and Next adapters wrap these in their request types and write
 * the result to the same encrypted cookie Flags Explorer uses.
 */

/** How long an override lasts in the browser that set it. */
export const OVERRIDES_MAX_AGE_S = 7 * 24 * 60 * 60;
/** The most flags one browser may override: the cookie must stay well under browsers' 4 KB. */
const MAX_OVERRIDES = 50;
/** The longest encrypted value the cookie may hold, leaving room for its name and attributes under 4096 bytes. */
const MAX_COOKIE_VALUE_BYTES = 3900;

/** Who may use the toolbar when the app says nothing: anyone in development, nobody in production. */
export function developmentOnly(): boolean {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.NODE_ENV !== 'production';
}

/** The toolbar's list for a request: its snapshot (overrides applied), with each flag's options. */
export function toolbarState(client: FlagsClient, snapshot: FlagsSnapshot): ToolbarState {
  const flags = client.flagDefinitions().map((definition): ToolbarFlag => {
    const key = definition.key as FlagKey;
    const served = snapshot.value(key);
    // The served value as its own default: never `wrong_type`, so the kind says why it is served.
    const detail = snapshot.variationDetail(key, served as never);
    return {
      key: definition.key,
      description: definition.description,
      value: detail.value,
      variation: detail.variation,
      kind: detail.kind,
      reason: detail.reason,
      options: definition.variations,
      overridden: detail.kind === 'override',
      client: definition.client,
    };
  });
  return { flags, overridden: flags.filter((flag) => flag.overridden).length };
}

/**
 * The overrides after a change, or what is wrong with it: keys must be flags the client holds and values flag
 * values (any JSON: an override may serve a value no variation has, to try it).
 */
export function applyToolbarChange(client: FlagsClient, current: Readonly<Record<string, unknown>> | null, change: unknown): { overrides: FlagOverrides } | { error: string } {
  if (typeof change !== 'object' || change === null || Array.isArray(change)) return { error: 'expected { set?, remove?, reset? }' };
  const { set, remove, reset } = change as Record<string, unknown>;
  const definitions = new Map(client.flagDefinitions().map((definition) => [definition.key, definition]));
  const next: Record<string, FlagValue> = Object.create(null);
  if (reset !== true && current) for (const [key, value] of Object.entries(current)) if (definitions.has(key) && isFlagValue(value)) next[key] = value;
  if (remove !== undefined) {
    if (!Array.isArray(remove) || !remove.every((key) => typeof key === 'string')) return { error: 'remove: expected a list of flag keys' };
    for (const key of remove) delete next[key];
  }
  if (set !== undefined) {
    if (typeof set !== 'object' || set === null || Array.isArray(set)) return { error: 'set: expected { key: value }' };
    for (const [key, value] of Object.entries(set)) {
      const definition = definitions.get(key);
      if (!definition) return { error: `set: no flag has the key "${key}"` };
      if (!isFlagValue(value)) return { error: `set.${key}: expected a JSON value` };
      if (!definition.variations.some((variation) => hasTypeOf(variation.value, value))) return { error: `set.${key}: not of the type of the flag's values` };
      next[key] = value;
    }
  }
  if (Object.keys(next).length > MAX_OVERRIDES) return { error: `at most ${MAX_OVERRIDES} flags can be overridden at once` };
  return { overrides: next };
}

/**
 * The `Set-Cookie` header that stores overrides (or clears them) for this browser only. Not HttpOnly: Flags
 * Explorer writes the same cookie from the page, which a browser refuses over an HttpOnly one; the value is
 * encrypted, so reading it tells a script nothing.
 */
export function overridesSetCookie(name: string, value: string | null, secure: boolean): string {
  const attributes = ['Path=/', 'SameSite=Lax', ...(secure ? ['Secure'] : [])];
  if (value === null) return [`${name}=`, 'Max-Age=0', ...attributes].join('; ');
  return [`${name}=${value}`, `Max-Age=${OVERRIDES_MAX_AGE_S}`, ...attributes].join('; ');
}

/** A request to the overrides endpoint, as each framework's adapter reads it. */
export interface ToolbarRequest {
  readonly method: string;
  /** Whether it came over HTTPS: the cookie is then `Secure`. */
  readonly secure: boolean;
  readonly cookieHeader: string | null | undefined;
  /** The `x-flagwire-toolbar` header. */
  readonly toolbarHeader: string | null | undefined;
  /** The `Content-Type` header: a change must be JSON. */
  readonly contentType: string | null | undefined;
  /** The JSON body of a POST (rejects when it is not JSON). */
  body(): Promise<unknown>;
  /** This request's flags, with its overrides cookie applied. */
  snapshot(): Promise<FlagsSnapshot>;
}

export interface ToolbarAnswer {
  readonly status: number;
  readonly body: ToolbarState | { readonly error: string } | null;
  /** A `Set-Cookie` header to send, after a change. */
  readonly setCookie?: string;
}

/**
 * The overrides endpoint, whatever the framework: GET lists this request's flags, POST changes this browser's
 * overrides (the page then reloads to render them). `allowed` is the app's access check, already run: without
 * it the answer is 403 and nothing is read. Without a secret there is nothing to write the cookie with: 409.
 */
export async function answerToolbar(client: FlagsClient, secret: string | null, allowed: boolean, request: ToolbarRequest): Promise<ToolbarAnswer> {
  if (!allowed) return { status: 403, body: { error: 'the flags toolbar is not available to this request' } };
  if (secret === null) return { status: 409, body: { error: 'set FLAGS_SECRET (32 random bytes, base64url) to switch flags from the toolbar' } };
  const current = await readOverridesCookie(overridesCookieIn(request.cookieHeader), secret);
  if (request.method === 'GET' || request.method === 'HEAD') return { status: 200, body: toolbarState(client, (await request.snapshot()).withoutExposures()) };
  if (request.method !== 'POST') return { status: 405, body: { error: 'GET or POST' } };
  if (request.toolbarHeader !== '1') return { status: 400, body: { error: `a change needs the ${TOOLBAR_HEADER}: 1 header` } };
  if (!/^application\/json\b/i.test(request.contentType ?? '')) return { status: 415, body: { error: 'a change is sent as application/json' } };
  let change: unknown;
  try {
    change = await request.body();
  } catch {
    return { status: 400, body: { error: 'expected a JSON body' } };
  }
  const next = applyToolbarChange(client, current, change);
  if ('error' in next) return { status: 400, body: { error: next.error } };
  const empty = Object.keys(next.overrides).length === 0;
  const cookie = empty ? null : await writeOverridesCookie(next.overrides, secret, OVERRIDES_MAX_AGE_S);
  // Browsers keep cookies of up to 4 KB, name and attributes included, and drop larger ones without a word.
  if (cookie !== null && cookie.length > MAX_COOKIE_VALUE_BYTES) return { status: 400, body: { error: 'these overrides are too large for a cookie: override fewer flags, or smaller values' } };
  return { status: 204, body: null, setCookie: overridesSetCookie(OVERRIDES_COOKIE, cookie, request.secure) };
}
