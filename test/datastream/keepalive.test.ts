import { afterEach, describe, expect, it } from 'vitest';
import { type FlagStream, startFlagStream } from '../support/datastream-clients';
import { recordingLogger } from '../support/flags-files';

describe('DataStream keepalive', () => {
  let stream: FlagStream | null = null;
  afterEach(() => stream?.stop());

  it('drops a connection whose pings go unanswered, and connects again', async () => {
    stream = await startFlagStream({ autoPong: false });
    const { server } = stream;
    const log = recordingLogger();
    await stream.connect({ logger: log.logger, pingIntervalMs: 40, pongTimeoutMs: 100, reconnectBaseMs: 10 });
    const deadline = Date.now() + 5000;
    while (server.handshakes.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(server.handshakes.length).toBeGreaterThanOrEqual(2);
    expect(log.lines).toContainEqual({ level: 'warn', message: 'DataStream stopped answering pings; reconnecting' });
  });

  it('keeps a connection whose pings are answered', async () => {
    stream = await startFlagStream();
    const { server } = stream;
    const client = await stream.connect({ pingIntervalMs: 40, pongTimeoutMs: 100 });
    await new Promise((r) => setTimeout(r, 400));
    expect(server.handshakes).toHaveLength(1);
    expect(client.connected).toBe(true);
  });
});
