import type { ParsedCompany, ParsedUser } from './engine';

/** Stands for "no company" or "no user" as a key. */
const NOBODY = {};

/**
 * Evaluated results kept per company and user, for one set of flags, so a returning visitor's request
 * re-reads values instead of evaluating again. Sound because a flag's value is a pure function of the flag,
 * the company and the user (the clock only moves reset times, never the value), and because parsed entities
 * are replaced, never changed: an update makes a new object and so a new entry, and new flags come with a new
 * memo. Entries live as long as their entities do (weak keys), so the memo holds nothing the store let go.
 */
export class ResultsMemo<T> {
  private readonly byCompany = new WeakMap<object, WeakMap<object, T>>();
  /** Users checked without a company (most requests of apps that have no companies): one lookup, not two. */
  private readonly byUserAlone = new WeakMap<object, T>();

  get(company: ParsedCompany | null, user: ParsedUser | null, make: () => T): T {
    // A stored user checked without a company keeps its results in its own slot: no WeakMap entry to make and
    // look up on a user's first snapshot, the cost of most of it.
    const slot = company === null && user !== null ? user.memoSlot : undefined;
    if (slot !== undefined) {
      if (slot !== null && slot.memo === this) return slot.kept as T;
      const kept = make();
      (user as ParsedUser).memoSlot = { memo: this, kept };
      return kept;
    }
    let byUser = company === null ? this.byUserAlone : this.byCompany.get(company);
    if (!byUser) {
      byUser = new WeakMap();
      this.byCompany.set(company as ParsedCompany, byUser);
    }
    const userKey = user ?? NOBODY;
    let kept = byUser.get(userKey);
    if (kept === undefined) {
      kept = make();
      byUser.set(userKey, kept);
    }
    return kept;
  }
}
