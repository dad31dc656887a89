import { describe, expect, it } from 'vitest';
import { ApiError } from '../../core/errors';
import { SDK_NAME, SDK_VERSION } from '../../api/api-requester';
import { fetchPost } from '../events/event-post';
import { createInsightSender } from './insight-sender';

interface Sent {
  url: string;
  init: RequestInit;
}

/** A fetch that records its calls and answers with what `answer` makes. */
function fakeFetch(answer: () => Response | Promise<Response>) {
  const sent: Sent[] = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(url), init: init ?? {} });
    return answer();
  }) as typeof globalThis.fetch;
  return { sent, fetch };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

const live = new AbortController().signal;

describe('createInsightSender', () => {
  it('POSTs the items as one JSON array to /api/public/insight/track with the raw secret, JSON type and flagwire user agent', async () => {
    const { sent, fetch } = fakeFetch(() => new Response(null, { status: 200 }));
    const send = createInsightSender({ envSecret: 'secret-123', eventsUrl: 'https://events.test/base/', post: fetchPost(fetch), timeoutMs: 1_000 });
    await send(['{"a":1}', '{"b":2}'], live);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe('https://events.test/base/api/public/insight/track');
    expect(sent[0]?.init.method).toBe('POST');
    // Bytes: the items are ASCII JSON, copied into the body as they are.
    expect(new TextDecoder().decode(sent[0]?.init.body as Uint8Array)).toBe('[{"a":1},{"b":2}]');
    expect(sent[0]?.init.headers).toEqual({ Authorization: 'secret-123', 'Content-Type': 'application/json', 'User-Agent': `${SDK_NAME}/${SDK_VERSION}` });
  });

  it('fails retryably on 408, 429 and 5xx, carrying the wait the server asked for', async () => {
    for (const status of [408, 429, 500, 503]) {
      const { fetch } = fakeFetch(() => new Response('busy', { status, headers: { 'retry-after': '2' } }));
      const error = await failure(createInsightSender({ envSecret: 's', eventsUrl: 'http://e.test', post: fetchPost(fetch), timeoutMs: 1_000 })(['{}'], live));
      expect(error.status).toBe(status);
      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs).toBe(2_000);
    }
  });

  it('fails for good on any other 4xx, saying what the server answered', async () => {
    for (const status of [400, 401, 403, 404, 413]) {
      const { fetch } = fakeFetch(() => new Response('bad batch', { status }));
      const error = await failure(createInsightSender({ envSecret: 's', eventsUrl: 'http://e.test', post: fetchPost(fetch), timeoutMs: 1_000 })(['{}'], live));
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(`answered ${status}: bad batch`);
    }
  });

  it('fails retryably when there is no connection or no answer in time', async () => {
    const down = fakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    const noConnection = await failure(createInsightSender({ envSecret: 's', eventsUrl: 'http://e.test', post: fetchPost(down.fetch), timeoutMs: 1_000 })(['{}'], live));
    expect([noConnection.failure, noConnection.retryable]).toEqual(['network', true]);

    const hanging = (async (_url: unknown, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof globalThis.fetch;
    const slow = await failure(createInsightSender({ envSecret: 's', eventsUrl: 'http://e.test', post: fetchPost(hanging), timeoutMs: 20 })(['{}'], live));
    expect([slow.failure, slow.retryable]).toEqual(['timeout', true]);
  });

  it('gives up when its caller aborts', async () => {
    const hanging = (async (_url: unknown, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof globalThis.fetch;
    const stop = new AbortController();
    const sending = failure(createInsightSender({ envSecret: 's', eventsUrl: 'http://e.test', post: fetchPost(hanging), timeoutMs: 60_000 })(['{}'], stop.signal));
    stop.abort(new Error('closed'));
    expect((await sending).failure).toBe('aborted');
  });

  it('counts a batch as delivered once the server said 2xx, even if the rest of the answer breaks off', async () => {
    const broken = new ReadableStream({ start: (controller) => controller.error(new Error('reset')) });
    const { fetch } = fakeFetch(() => new Response(broken, { status: 200 }));
    await expect(createInsightSender({ envSecret: 's', eventsUrl: 'http://e.test', post: fetchPost(fetch), timeoutMs: 1_000 })(['{}'], live)).resolves.toBeUndefined();
  });
});
