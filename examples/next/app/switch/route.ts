import { cookies } from 'next/headers';
import type { NextRequest } from 'next/server';
import { companyFrom } from '../../lib/flags-client';

/** The company switcher: sets the cookie `context` reads, then goes home (a relative redirect: same host). */
export async function GET(request: NextRequest) {
  (await cookies()).set('company', companyFrom(request.nextUrl.searchParams.get('company') ?? undefined), { sameSite: 'lax', path: '/' });
  return new Response(null, { status: 303, headers: { location: '/' } });
}
