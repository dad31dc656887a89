import { answerToolbar, developmentOnly, TOOLBAR_HEADER } from '../flags-sdk';
import type { FlagsClient, FlagsSnapshot } from '../server';
import { type FlagRequest, fromFetchRequest } from './request';

export interface NextToolbarOptions {
  /**
   * Who may see and switch flags. The default lets anyone in development and nobody in production
   * (`NODE_ENV=production`): there, give a check of your own (a staff session, say). Anonymous visitors must
   * never pass it: an override changes what the server renders for that browser.
   */
  access?: (request: FlagRequest) => boolean | Promise<boolean>;
}

/**
 * The route `<FlagToolbar />` talks to (`app/api/flagwire/overrides/route.ts`: `export const { GET, POST } =
 * flags.toolbarEndpoint`): GET lists the request's flags with their options, POST sets or clears this browser's
 * overrides in the encrypted overrides cookie, which `getFlags()` then applies to every render.
 */
export function toolbarRoute(client: FlagsClient, overridesKey: string | null, flagsFor: (request: Request) => Promise<FlagsSnapshot>, options: NextToolbarOptions = {}) {
  const access = options.access ?? developmentOnly;
  const handle = async (request: Request): Promise<Response> => {
    const read = fromFetchRequest(request);
    const answer = await answerToolbar(client, overridesKey, (await access(read)) === true, {
      method: request.method,
      secure: new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https',
      cookieHeader: request.headers.get('cookie'),
      toolbarHeader: request.headers.get(TOOLBAR_HEADER),
      contentType: request.headers.get('content-type'),
      body: () => request.json(),
      snapshot: () => flagsFor(request),
    });
    const headers = new Headers({ 'cache-control': 'private, no-store' });
    if (answer.setCookie) headers.append('set-cookie', answer.setCookie);
    if (answer.body === null) return new Response(null, { status: answer.status, headers });
    headers.set('content-type', 'application/json');
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers });
  };
  return { GET: handle, POST: handle };
}
