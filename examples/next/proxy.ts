import { type NextRequest, NextResponse } from 'next/server';
import { flags } from './lib/flags';

/** Redirects by flag, before the page renders: /labs only for companies with the labs flag. */
export async function proxy(request: NextRequest) {
  const requestFlags = await flags.flagsFor(request);
  if (!requestFlags.isEnabled('labs')) return NextResponse.redirect(new URL('/', request.url));
  return NextResponse.next();
}

export const config = { matcher: ['/labs'] };
