import type { FlagValue } from '../../core/values';

/**
 * A FeatBit variation's value as the flag's type: FeatBit stores every value as text, typed by the flag's
 * `variationType` (`boolean`, `number`, `string`, `json`). `undefined` when the text is not of that type.
 */
export function featBitValue(variationType: string | null, text: string): FlagValue | undefined {
  switch (variationType) {
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'number': {
      const number = text.trim() === '' ? Number.NaN : Number(text);
      return Number.isFinite(number) ? number : undefined;
    }
    case 'json':
      try {
        return JSON.parse(text) as FlagValue;
      } catch {
        return undefined;
      }
    default:
      return text;
  }
}
