import { OVERRIDES_COOKIE, type OverridesOption, overridesSecret, readOverridesCookie } from '../flags-sdk';
import { type EvaluationContext, type FlagsClient, type FlagsSnapshot, leveledLogger } from '../server';

/**
 * What `context` may read of a request, the same in server components, route handlers, proxy/middleware,
 * the edge runtime and the Pages Router: so one `context` function serves them all.
 */
export interface FlagRequest {
  cookie(name: string): string | undefined;
  header(name: string): string | null;
}

/** Who a request is for, read from the request (cookies, headers) or the app's session. */
export type NextFlagsContext = (request: FlagRequest) => EvaluationContext | Promise<EvaluationContext>;

/** Cookie values from a `Cookie` header; a malformed pair is skipped, a badly encoded value kept as sent. */
export function parseCookieHeader(header: string | null | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    if (!name || cookies.has(name)) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      // Kept as sent: a cookie another library wrote need not be URI-encoded.
    }
    cookies.set(name, value);
  }
  return cookies;
}

/** A fetch `Request` (also Next's `NextRequest`) as `context` reads it. */
export function fromFetchRequest(request: Request): FlagRequest {
  let cookies: Map<string, string> | undefined;
  return {
    cookie: (name) => (cookies ??= parseCookieHeader(request.headers.get('cookie'))).get(name),
    header: (name) => request.headers.get(name),
  };
}

/** Node's request headers (Pages Router) as `context` reads them. */
export function fromNodeHeaders(headers: Record<string, string | string[] | undefined>): FlagRequest {
  let cookies: Map<string, string> | undefined;
  const header = (name: string) => {
    const value = headers[name.toLowerCase()];
    return (Array.isArray(value) ? value.join(', ') : value) ?? null;
  };
  return { cookie: (name) => (cookies ??= parseCookieHeader(header('cookie'))).get(name), header };
}

/** The app's `context` for a request; one that throws or rejects means no company and no user (flag defaults). */
export async function contextFor(context: NextFlagsContext, request: FlagRequest): Promise<EvaluationContext> {
  try {
    return (await context(request)) ?? {};
  } catch {
    return {};
  }
}

export interface RequestFlagsOptions {
  client: FlagsClient;
  context: NextFlagsContext;
  timeoutMs?: number;
  /**
   * Flag overrides from the request's overrides cookie (Flags Explorer's, or flagwire's toolbar's), applied to the
   * snapshot and so to every server component, the browser payload and the hooks: the first HTML already shows
   * them. Read only with a secret: `{ secret }`, or `FLAGS_SECRET` by default; `false` never reads them. A
   * cookie forged, tampered with or expired is ignored.
   */
  overrides?: OverridesOption;
}

/** The secret the request's overrides cookie is read with (`null`: overrides are off); a bad one throws here, at creation. */
export function overridesKeyOf(options: RequestFlagsOptions): string | null {
  return overridesSecret(options.overrides);
}

/** One request's snapshot, in every router and runtime: the app's context, then one lookup (never throws). */
export async function snapshotForRequest(options: RequestFlagsOptions, overridesKey: string | null, request: FlagRequest): Promise<FlagsSnapshot> {
  return snapshotForContext(options, overridesKey, request, await contextFor(options.context, request));
}

/** The same, with the request's context already read. */
export async function snapshotForContext(options: RequestFlagsOptions, overridesKey: string | null, request: FlagRequest, context: EvaluationContext): Promise<FlagsSnapshot> {
  const snapshot = await options.client.snapshot(context, { timeoutMs: options.timeoutMs });
  if (overridesKey === null) return snapshot;
  try {
    const overrides = await readOverridesCookie(request.cookie(OVERRIDES_COOKIE), overridesKey);
    return overrides ? snapshot.withOverrides(overrides) : snapshot;
  } catch (error) {
    // The cookie could not be read (no `flags` package): said once; requests proceed on what the rules serve.
    if (!reportedUnreadable) leveledLogger().error('flagwire/next: the overrides cookie could not be read; serving the evaluated flags', error);
    reportedUnreadable = true;
    return snapshot;
  }
}

let reportedUnreadable = false;
