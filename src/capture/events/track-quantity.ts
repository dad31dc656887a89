import { InvalidEntityError } from '../../core/errors';

/**
 * Refuses a `track()` quantity that is not a finite number, the same way in every mode, on the caller's path:
 * NaN would reach Schematic as `null` and `'1e400'` as a string, where counting it locally could only fail.
 * Callers pass the quantity with its default (`body.quantity ?? 1`).
 * @throws InvalidEntityError naming `quantity` and what it got.
 */
export function assertTrackQuantity(quantity: unknown): asserts quantity is number {
  if (typeof quantity === 'number' && Number.isFinite(quantity)) return;
  const got = typeof quantity === 'number' ? String(quantity) : typeof quantity === 'string' ? JSON.stringify(quantity) : typeof quantity;
  throw new InvalidEntityError('company', 'quantity', `expected a finite number, got ${got}`);
}
