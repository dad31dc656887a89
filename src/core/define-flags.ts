import type { FlagDeclarations } from '../flags-file/schema';

/**
 * Declares flags in code, in the flags file's format, keeping their keys as types. Pass the result to
 * `createFlagsClient({ flags })`, and register it once to type every flag key in the app:
 *
 * ```ts
 * export const flags = defineFlags({ 'new-editor': { default: false, client: true } });
 * declare module 'flagwire/server' { interface Register { flags: typeof flags } }
 * ```
 */
export function defineFlags<const T extends FlagDeclarations>(flags: T): T {
  return flags;
}
