import { describe, expect, it } from 'vitest';
import { createFlagsClient, FlagwireConfigError } from '../../src/server/index';

/** An API key with a local source of flags is a contradiction, not a silent choice of API mode. */
describe('options that name two sources of flags', () => {
  it('rejects apiKey together with flagsFile', () => {
    const attempt = () => createFlagsClient({ apiKey: 'sch_test_key', flagsFile: './flagwire.flags.json' });
    expect(attempt).toThrow(FlagwireConfigError);
    expect(attempt).toThrow(/option flagsFile: give apiKey .* or flagsFile .*, not both/);
  });

  it('rejects apiKey together with flags declared in code', () => {
    const attempt = () => createFlagsClient({ apiKey: 'sch_test_key', flags: { beta: { rules: [] } } });
    expect(attempt).toThrow(FlagwireConfigError);
    expect(attempt).toThrow(/option flags: give apiKey .* or flags .*, not both/);
  });

  it('still takes a blank apiKey (an unset environment variable) with flags: local mode', async () => {
    const client = createFlagsClient({ apiKey: '', flags: {}, logLevel: 'silent' });
    expect(client.mode).toBe('local');
    await client.close();
  });
});
