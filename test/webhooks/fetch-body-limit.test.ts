import { describe, expect, it } from 'vitest';
import { createFetchWebhookHandler } from '../../src/server/index';
import * as webhooks from '../../src/webhooks/index';
import { delivery, SECRET } from '../support/webhooks';

const CHUNK = 64 * 1024;

/** A chunked body (no content-length) of `chunks` × 64 KiB, counting how many chunks the reader pulled. */
function countedStream(chunks: number) {
  const counts = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counts.pulled === chunks) return controller.close();
      counts.pulled++;
      controller.enqueue(new Uint8Array(CHUNK).fill(32));
    },
    cancel() {
      counts.cancelled = true;
    },
  });
  return { stream, counts };
}

function post(body: ReadableStream<Uint8Array>, headers: Record<string, string>) {
  return new Request('http://x/hook', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

describe('Fetch webhook handler body limit', () => {
  it('stops reading a chunked body at the limit and cancels it, answering 400 too_large', async () => {
    const { stream, counts } = countedStream(400); // 25 MiB, far past the 1 MiB default
    const response = await createFetchWebhookHandler({ secret: SECRET })(post(stream, delivery('test.send', {}).headers));
    expect([response.status, (await response.json()).code]).toEqual([400, 'too_large']);
    // 1 MiB is 16 chunks; the 17th crosses the limit, and a stream may have pulled one more ahead.
    expect(counts.pulled).toBeLessThanOrEqual(18);
    expect(counts.cancelled).toBe(true);
  });

  it('honours maxBodyBytes, and still accepts a chunked body within it', async () => {
    const handler = createFetchWebhookHandler({ secret: SECRET, maxBodyBytes: 2 * CHUNK });
    const { stream, counts } = countedStream(100);
    expect((await handler(post(stream, delivery('test.send', {}).headers))).status).toBe(400);
    expect(counts.pulled).toBeLessThanOrEqual(4);
    const d = delivery('test.send', {});
    const small = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(d.raw));
        controller.close();
      },
    });
    expect((await handler(post(small, d.headers))).status).toBe(200);
  });

  it('verifyWebhookSignature reads a Fetch body only up to the limit', async () => {
    const { stream, counts } = countedStream(400);
    const run = webhooks.verifyWebhookSignature(post(stream, delivery('test.send', {}).headers), SECRET, undefined, { maxBodyBytes: CHUNK });
    await expect(run).rejects.toMatchObject({ reason: 'too_large' });
    expect(counts.pulled).toBeLessThanOrEqual(4);
  });

  it('the webhooks entry exports the one default body limit, 1 MiB', () => {
    expect((webhooks as Record<string, unknown>).DEFAULT_MAX_BODY_BYTES).toBe(1024 * 1024);
  });
});
