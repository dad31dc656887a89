/**
 * The worker thread that reads a large flags file, so the app's event loop keeps answering checks meanwhile: it
 * parses, validates and compiles the file, then hands the result over a slice at a time, each when asked, so
 * receiving it never holds the main thread for long either. Its own entry in the package (see tsup.config.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FlagsFileError } from '../../core/errors';
import { wirePrints } from '../../flags-file/flags-data';
import { loadFlagsText } from '../../flags-file/load';
import { partsOf } from '../../flags-file/transfer';
import { ENTITIES_PER_MESSAGE, type FromFlagsWorker, type ToFlagsWorker } from './flags-worker-protocol';

function messages({ bytes, file }: ToFlagsWorker): FromFlagsWorker[] {
  try {
    const data = loadFlagsText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), file);
    if (data.featbit) return [{ kind: 'featbit' }];
    const prints = data.entityPrints ?? { companies: wirePrints(data.companies), users: wirePrints(data.users) };
    return [{ kind: 'flags', parts: partsOf(data) }, ...slices('companies', data.companies, prints.companies), ...slices('users', data.users, prints.users), { kind: 'end' }];
  } catch (error) {
    if (error instanceof FlagsFileError) return [{ kind: 'problems', problems: error.problems }];
    return [{ kind: 'failed', message: String((error as Error)?.message ?? error) }];
  }
}

/** Entities as JSON text with their prints: strings cross threads as a copy of their characters, objects one by one. */
function slices(kind: 'companies' | 'users', entities: readonly { readonly id: string }[], prints: readonly number[]): FromFlagsWorker[] {
  const messages: FromFlagsWorker[] = [];
  for (let i = 0; i < entities.length; i += ENTITIES_PER_MESSAGE) {
    const slice = entities.slice(i, i + ENTITIES_PER_MESSAGE);
    messages.push({ kind, ids: slice.map((entity) => entity.id), prints: prints.slice(i, i + ENTITIES_PER_MESSAGE), texts: slice.map((entity) => JSON.stringify(entity)) });
  }
  return messages;
}

const port = parentPort;
if (port) {
  const queue = messages(workerData as ToFlagsWorker);
  let next = 0;
  const send = (): void => {
    const message = queue[next++];
    if (message) port.postMessage(message);
    // Nothing more to say: the thread ends once the last message is out.
    if (next >= queue.length) port.unref();
  };
  port.on('message', send);
  send();
}
