// Types only: the package itself is imported on first use.
import type * as FlagsPackage from 'flags';
import { type FlagOverrides, FlagwireConfigError } from '../server';

/**
 * The cookie Flags Explorer writes its overrides to (and flagwire's toolbar too): a JWE, encrypted with the
 * app's `FLAGS_SECRET`, that only this server can read. It is read and written with the `flags` package's own
 * functions, so a cookie either tool wrote works for both. The package is loaded on first use: an app that
 * configures no secret never loads it.
 */
export const OVERRIDES_COOKIE = 'vercel-flag-overrides';

/** How an adapter reads overrides: with this secret, or (the default) `FLAGS_SECRET` when it is set. `false`: never. */
export type OverridesOption = { readonly secret?: string } | false;

const SECRET_HINT = "generate one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64url'))\"";

/** 32 bytes in base64url: the key the `flags` package encrypts with (AES-256-GCM). */
const KEY = /^[A-Za-z0-9_-]{43}$/;

/**
 * The secret overrides are read with; `null` when none is configured (overrides are then ignored, whatever a
 * request carries). A secret that is not a 256-bit key throws at creation, never on a request.
 */
export function overridesSecret(option: OverridesOption | undefined, field = 'overrides.secret'): string | null {
  if (option === false) return null;
  const given = option?.secret ?? (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.FLAGS_SECRET;
  if (given === undefined || given === '') return null;
  if (typeof given !== 'string' || !KEY.test(given)) throw new FlagwireConfigError(field, `expected FLAGS_SECRET: 32 random bytes, base64url-encoded (43 characters); ${SECRET_HINT}`);
  return given;
}

type FlagsModule = typeof FlagsPackage;
let flagsModule: Promise<FlagsModule> | null = null;

/** The `flags` package, loaded once; a missing package says what to install. */
export function loadFlagsPackage(): Promise<FlagsModule> {
  flagsModule ??= import('flags').catch((error: unknown) => {
    flagsModule = null;
    throw new FlagwireConfigError('overrides', `reading Flags Explorer's overrides needs the "flags" package: npm i flags (${(error as Error)?.message ?? error})`);
  });
  return flagsModule;
}

/**
 * The overrides a cookie holds; `null` when it holds none that this secret can read: absent, forged with another
 * key, tampered with, or expired (the `flags` package checks all of these). Values that are not flag values are
 * left out by the snapshot that takes them.
 */
export async function readOverridesCookie(cookie: string | undefined, secret: string): Promise<Readonly<Record<string, unknown>> | null> {
  if (cookie === undefined || cookie === '') return null;
  const { decryptOverrides } = await loadFlagsPackage();
  const overrides = await decryptOverrides(cookie, secret);
  return typeof overrides === 'object' && overrides !== null ? overrides : null;
}

/** An overrides cookie's value for these overrides, readable until `maxAgeS` from now. */
export async function writeOverridesCookie(overrides: FlagOverrides, secret: string, maxAgeS: number): Promise<string> {
  const { encryptOverrides } = await loadFlagsPackage();
  return encryptOverrides(overrides, secret, Math.floor(Date.now() / 1000) + maxAgeS);
}

/** The overrides cookie's raw value in a `Cookie` header, without parsing the others. */
export function overridesCookieIn(cookieHeader: string | null | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const pair of cookieHeader.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === OVERRIDES_COOKIE) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/** Whether a request proves Flags Explorer's access (its `Authorization` header, checked with the same secret). */
export async function hasExplorerAccess(authorization: string | null | undefined, secret: string): Promise<boolean> {
  if (!authorization) return false;
  const { verifyAccess } = await loadFlagsPackage();
  try {
    return await verifyAccess(authorization, secret);
  } catch {
    return false;
  }
}
