import type { FlagSink } from '../../core/flag-set';
import { entityListsOf } from '../../flags-file/flags-data';
import type { FlagsData } from '../../flags-file/flags-data';
import type { LocalEntities } from '../../writes/local-writes';
import { collectTraitDefinitions } from '../../flags-file/changes';
import { flagSetOf } from './flag-set-of';

/**
 * A loaded flags file, delivered: its companies and users seeded into the store first (a slice at a time, so
 * checks keep answering with the last flags meanwhile), then its flags. Resolves once both are in.
 * @param reload whether a file was delivered before (pages showing a company the file changed then refresh)
 */
export async function applyFlagsData(data: FlagsData, sink: FlagSink, entities: LocalEntities, reload: boolean): Promise<void> {
  await entities.seed(entityListsOf(data), reload);
  entities.useTraitDefinitions(collectTraitDefinitions(data));
  sink.health(true);
  sink.replace(flagSetOf(data));
}
