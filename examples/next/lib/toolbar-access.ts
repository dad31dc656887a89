import { timingSafeEqual } from 'node:crypto';
import type { FlagRequest } from 'flagwire/next';

/** The cookie that lets a browser use the flags toolbar in production: the value of FLAGWIRE_TOOLBAR_TOKEN. */
export const TOOLBAR_COOKIE = 'flagwire-toolbar';

/**
 * Who may see and switch flags. In development, anyone. In production (`next start`), only a browser holding
 * the team's toolbar token in its cookie; with no token configured, nobody. A real app would check its own
 * session (a staff role) instead: what matters is that an anonymous visitor never passes.
 */
export function toolbarAccess(request: FlagRequest): boolean {
  if (process.env.NODE_ENV !== 'production') return true;
  const token = process.env.FLAGWIRE_TOOLBAR_TOKEN ?? '';
  const given = request.cookie(TOOLBAR_COOKIE) ?? '';
  if (token.length < 16 || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}
