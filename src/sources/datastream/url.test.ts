import { describe, expect, it } from 'vitest';
import { dataStreamUrl } from './url';

describe('DataStream URL', () => {
  it.each([
    ['https://api.schematichq.com', 'wss://datastream.schematichq.com/datastream'],
    ['https://api.eu.example.com/v1/', 'wss://datastream.eu.example.com/datastream'],
    ['http://127.0.0.1:8080', 'ws://127.0.0.1:8080/datastream'],
    ['http://localhost:3000/anything?x=1', 'ws://localhost:3000/datastream'],
    ['wss://custom.example.com/stream', 'wss://custom.example.com/stream'],
  ])('%s → %s', (base, expected) => {
    expect(dataStreamUrl(base)).toBe(expected);
  });
});
