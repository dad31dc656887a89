/** The cookie that keeps a browser's visitor id: the user key experiments are sticky by. */
export const VISITOR_COOKIE = 'visitor';
export const VISITOR_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;
// Ids this app could have assigned (and test ids): anything else is replaced, not trusted as a key.
const VISITOR_ID = /^[\w-]{8,64}$/;

/** The visitor id a cookie holds, if it is one. */
export function visitorFrom(cookie: string | undefined): string | undefined {
  return cookie !== undefined && VISITOR_ID.test(cookie) ? cookie : undefined;
}
