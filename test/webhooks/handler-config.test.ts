import { describe, expect, it } from 'vitest';
import { createWebhookHandler, FlagwireConfigError, verifySignature } from '../../src/server/index';
import { SECRET, sign } from '../support/webhooks';

function configError(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof FlagwireConfigError ? error.field : `not a FlagwireConfigError: ${String(error)}`;
  }
}

describe('webhook handler options are checked when it is created', () => {
  it('refuses a NaN, negative or infinite tolerance', () => {
    for (const toleranceSeconds of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      expect(configError(() => createWebhookHandler({ secret: SECRET, toleranceSeconds })), String(toleranceSeconds)).toBe('toleranceSeconds');
    }
    expect(configError(() => createWebhookHandler({ secret: SECRET, toleranceSeconds: false }))).toBeNull();
    expect(configError(() => createWebhookHandler({ secret: SECRET, toleranceSeconds: 0 }))).toBeNull();
  });

  it('refuses a missing, empty, blank or non-string secret, also inside a list', () => {
    const cases: [unknown, string][] = [
      [undefined, 'secret'],
      ['', 'secret'],
      ['   ', 'secret'],
      [42, 'secret'],
      [[], 'secret'],
      [[SECRET, ''], 'secret[1]'],
      [[' \t', SECRET], 'secret[0]'],
      [[SECRET, 42], 'secret[1]'],
    ];
    for (const [secret, field] of cases) expect(configError(() => createWebhookHandler({ secret: secret as never })), JSON.stringify(secret)).toBe(field);
    expect(configError(() => createWebhookHandler({ secret: [SECRET, 'whsec_next'] }))).toBeNull();
  });

  it('refuses an unusable body limit or deadline', () => {
    expect(configError(() => createWebhookHandler({ secret: SECRET, maxBodyBytes: Number.NaN }))).toBe('maxBodyBytes');
    expect(configError(() => createWebhookHandler({ secret: SECRET, bodyTimeoutMs: 0 }))).toBe('bodyTimeoutMs');
  });

  it('verifySignature never reads a NaN tolerance as "no check"', async () => {
    const now = 1_790_000_000_000;
    const old = String(now / 1000 - 10_000);
    const body = '{"action":"test.send"}';
    await expect(verifySignature(body, sign(body, old, SECRET), old, SECRET, { now: () => now, toleranceSeconds: Number.NaN })).rejects.toBeInstanceOf(FlagwireConfigError);
  });
});
