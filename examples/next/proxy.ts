import { evaluate, serialize } from 'flags/next';
import { type NextRequest, NextResponse } from 'next/server';
import { flags } from './lib/flags';
import { landingFlags } from './lib/flags-sdk';
import { VISITOR_COOKIE, VISITOR_COOKIE_MAX_AGE_S, visitorFrom } from './lib/visitor';

/**
 * Runs before every page and route: gives a first visit its visitor id, redirects by flag (/labs only for
 * companies with the labs flag), and picks the static landing page for the visitor's headline variation.
 */
export async function proxy(request: NextRequest) {
  // The new id goes on this request too, so its render (server and client components, the flags payload) is
  // already this visitor's: the first HTML shows their variation and the browser never switches.
  const assigned = visitorFrom(request.cookies.get(VISITOR_COOKIE)?.value) ? undefined : crypto.randomUUID();
  if (assigned) request.cookies.set(VISITOR_COOKIE, assigned);
  const response = await route(request);
  if (assigned) response.cookies.set(VISITOR_COOKIE, assigned, { maxAge: VISITOR_COOKIE_MAX_AGE_S, httpOnly: true, sameSite: 'lax', path: '/' });
  return response;
}

async function route(request: NextRequest): Promise<NextResponse> {
  if (request.nextUrl.pathname === '/landing') {
    // The experiment is decided here, once per request; the page for its values is static (app/landing/[code]).
    const code = await serialize(landingFlags, await evaluate(landingFlags, request));
    return NextResponse.rewrite(new URL(`/landing/${code}`, request.url), { request: { headers: request.headers } });
  }
  if (request.nextUrl.pathname === '/labs' && !(await flags.flagsFor(request)).isEnabled('labs')) {
    return NextResponse.redirect(new URL('/', request.url));
  }
  return NextResponse.next({ request: { headers: request.headers } });
}

// Everything but Next's own files and the webhook route (signed deliveries carry no visitor).
export const config = { matcher: ['/((?!_next/|favicon\\.ico|api/webhooks/).*)'] };
