import type { FlagDefinitionType, ProviderData } from 'flags';
import type { FlagsClient } from '../server';

export interface ProviderDataOptions {
  /** Where a flag is edited, as Flags Explorer links it (a URL, or one per key). */
  origin?: string | ((key: string) => string | undefined);
}

/**
 * What Flags Explorer shows of the client's flags: each key with its description and every value it can serve,
 * labelled (`control`, `bold`…; `On`/`Off`). Rules are never included. Hints say why the list is empty: flags not
 * loaded yet, or a mode (Schematic's API, offline) in which no flag is held here.
 */
export function getProviderData(client: FlagsClient, options: ProviderDataOptions = {}): ProviderData {
  const definitions: Record<string, FlagDefinitionType> = {};
  for (const flag of client.flagDefinitions()) {
    const origin = typeof options.origin === 'function' ? options.origin(flag.key) : options.origin;
    definitions[flag.key] = {
      ...(flag.description !== null ? { description: flag.description } : {}),
      options: flag.variations.map(({ label, value }) => ({ label, value })),
      ...(origin !== undefined ? { origin } : {}),
    };
  }
  const hints = Object.keys(definitions).length > 0 ? [] : [{ key: 'flagwire/no-flags', text: noFlagsHint(client) }];
  return { definitions, hints };
}

function noFlagsHint(client: FlagsClient): string {
  if (client.mode === 'api' || client.mode === 'offline') return `flagwire holds no flags in ${client.mode} mode: Schematic evaluates them, so they cannot be listed here`;
  return `flagwire has not loaded its flags yet (status: ${client.status})`;
}
