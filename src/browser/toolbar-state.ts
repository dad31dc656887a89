import type { FlagValue, ReasonKind } from 'flagwire/server';

/**
 * What the overrides endpoint answers and the toolbar renders: shared by the server adapters that write it and
 * the browser code that reads it, so the two cannot drift apart.
 */

/** One flag as the toolbar lists it: what this request is served, and what it could be switched to. */
export interface ToolbarFlag {
  readonly key: string;
  readonly description: string | null;
  readonly value: FlagValue;
  readonly variation: string | null;
  readonly kind: ReasonKind;
  readonly reason: string;
  readonly options: readonly { readonly name: string; readonly label: string; readonly value: FlagValue }[];
  /** Whether the value is this browser's override. */
  readonly overridden: boolean;
  /** Whether browsers see the flag (server-only flags still decide what the server renders). */
  readonly client: boolean;
}

export interface ToolbarState {
  readonly flags: readonly ToolbarFlag[];
  /** How many flags this browser overrides. */
  readonly overridden: number;
}

/** What the toolbar sends: values to set, keys to give back to the rules, or everything back (`reset`). */
export interface ToolbarChange {
  readonly set?: Readonly<Record<string, FlagValue>>;
  readonly remove?: readonly string[];
  readonly reset?: boolean;
}

/** A request header the toolbar sends with every change: a cross-site form cannot, so a change needs CORS' consent. */
export const TOOLBAR_HEADER = 'x-flagwire-toolbar';
