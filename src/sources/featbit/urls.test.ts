import { describe, expect, it } from 'vitest';
import { featBitPollingUrl, featBitStreamingUrl } from './urls';

describe('featBitStreamingUrl', () => {
  it('appends /streaming with the server type and token, turning http(s) into ws(s)', () => {
    expect(featBitStreamingUrl('http://127.0.0.1:5100', 'QQW')).toBe('ws://127.0.0.1:5100/streaming?type=server&token=QQW');
    expect(featBitStreamingUrl('https://featbit.example.org/eval/', 'QQW')).toBe('wss://featbit.example.org/eval/streaming?type=server&token=QQW');
    expect(featBitStreamingUrl('wss://featbit.example.org', 'QQW')).toBe('wss://featbit.example.org/streaming?type=server&token=QQW');
  });

  it('escapes secret characters that mean something in a query string', () => {
    expect(featBitStreamingUrl('ws://h', 'QQWab+/&c')).toBe('ws://h/streaming?type=server&token=QQWab%2B%2F%26c');
  });
});

describe('featBitPollingUrl', () => {
  it('names latest-all with the timestamp, as an http(s) URL', () => {
    expect(featBitPollingUrl('http://127.0.0.1:5100/', 0)).toBe('http://127.0.0.1:5100/api/public/sdk/server/latest-all?timestamp=0');
    expect(featBitPollingUrl('https://featbit.example.org/eval', 1_700_000_000_000)).toBe('https://featbit.example.org/eval/api/public/sdk/server/latest-all?timestamp=1700000000000');
  });
});
