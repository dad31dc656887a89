import type { ParsedCompany, ParsedUser } from '../engine';

/** Stands for "no company" or "no user" as a key. */
const NOBODY = {};

/**
 * Flag values remembered per company and user, for one set of flags. Sound because a flag's value is a pure
 * function of the flag, the company and the user (the clock only moves reset times, never the value), and
 * because parsed entities are replaced, never changed: an update makes a new object and so a new entry, and
 * new flags come with a new memo. Entries live as long as their entities do (weak keys), so the memo holds
 * nothing the store has let go.
 */
export class ValueMemo {
  private readonly byCompany = new WeakMap<object, WeakMap<object, Map<string, boolean>>>();

  valuesFor(company: ParsedCompany | null, user: ParsedUser | null): Map<string, boolean> {
    const companyKey = company ?? NOBODY;
    let byUser = this.byCompany.get(companyKey);
    if (!byUser) {
      byUser = new WeakMap();
      this.byCompany.set(companyKey, byUser);
    }
    const userKey = user ?? NOBODY;
    let values = byUser.get(userKey);
    if (!values) {
      values = new Map();
      byUser.set(userKey, values);
    }
    return values;
  }
}
