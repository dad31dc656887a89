import type { FlagsClient } from '../server';
import { contextFor, fromFetchRequest, type NextFlagsContext } from './request';

/** The largest report read: a page's hundred exposures fit in a few KB. */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * `export const { POST } = flags.exposuresEndpoint`: where `<FlagProvider exposures="…">` reports the flags the
 * browser showed. Who saw them comes from the app's `context` (the request's cookies), never from the body; the
 * client counts each page view's flag and value once, with what the server counted of that page view. Answers
 * 204, or 400 with the problem; a cross-site request or one that is not JSON is refused before it is read.
 */
export function exposuresRoute(client: FlagsClient, context: NextFlagsContext) {
  const POST = async (request: Request): Promise<Response> => {
    if (request.headers.get('sec-fetch-site') === 'cross-site') return Response.json({ problem: 'exposures are reported by this site’s own pages' }, { status: 403 });
    if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) return Response.json({ problem: 'expected application/json' }, { status: 415 });
    const text = await request.text();
    let body: unknown;
    try {
      if (text.length > MAX_BODY_BYTES) throw new RangeError('too large');
      body = JSON.parse(text);
    } catch {
      return Response.json({ problem: 'the body is not JSON within 16 KB' }, { status: 400 });
    }
    const answer = await client.reportBrowserExposures(body, await contextFor(context, fromFetchRequest(request)));
    return 'problem' in answer ? Response.json(answer, { status: 400 }) : new Response(null, { status: 204 });
  };
  return { POST };
}
