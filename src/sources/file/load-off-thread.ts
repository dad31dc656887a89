import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { FlagsFileError, FlagwireError } from '../../core/errors';
import type { FlagsData } from '../../flags-file/flags-data';
import { flagsDataOf, type FlagsParts } from '../../flags-file/transfer';
import type { FromFlagsWorker, ToFlagsWorker } from './flags-worker-protocol';

/** The worker could not be started here (its module is not where this one expects it): read the file on this thread. */
export class WorkerUnavailable extends Error {}

/** A flags file read in a worker thread; `terminate` stops it (the promise then rejects, for nobody to read). */
export interface OffThreadLoad {
  /** The data; `null` for a file in FeatBit's format, which is read where it is used. */
  readonly data: Promise<FlagsData | null>;
  terminate(): void;
}

const MISSING_MODULE = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND', 'ERR_WORKER_PATH', 'ERR_UNKNOWN_FILE_EXTENSION', 'ENOENT']);

/**
 * Reads a flags file's bytes in a worker thread: parsing, validating and compiling a large file there keeps this
 * thread's event loop free. What comes back is taken a slice per message, each asked for once the last is in, so
 * no message holds this thread long. Rejects with the file's FlagsFileError, a FlagwireError when the worker
 * failed, or WorkerUnavailable when it could not start.
 */
export function loadOffThread(bytes: Uint8Array, file: string): OffThreadLoad {
  const input: ToFlagsWorker = { bytes, file };
  let worker: Worker;
  try {
    worker = startWorker(input);
  } catch (error) {
    return { data: Promise.reject(new WorkerUnavailable(String((error as Error)?.message ?? error), { cause: error })), terminate: () => {} };
  }
  const data = new Promise<FlagsData | null>((resolve, reject) => {
    let parts: FlagsParts | null = null;
    const list = () => ({ ids: [] as string[], prints: [] as number[], texts: [] as string[] });
    const entities = { companies: list(), users: list() };
    let settled = false;
    const settle = (finish: () => void) => {
      settled = true;
      finish();
    };
    worker.on('message', (message: FromFlagsWorker) => {
      switch (message.kind) {
        case 'flags':
          parts = message.parts;
          break;
        case 'companies':
        case 'users': {
          const into = entities[message.kind];
          for (let i = 0; i < message.ids.length; i++) {
            into.ids.push(message.ids[i] as string);
            into.prints.push(message.prints[i] as number);
            into.texts.push(message.texts[i] as string);
          }
          break;
        }
        case 'end':
          return settle(() => resolve(flagsDataOf(parts as FlagsParts, entities)));
        case 'featbit':
          return settle(() => resolve(null));
        case 'problems':
          return settle(() => reject(new FlagsFileError(file, message.problems)));
        case 'failed':
          return settle(() => reject(new FlagwireError('invalid_flags_file', `flags file ${file}: ${message.message}`)));
      }
      worker.postMessage('next');
    });
    worker.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      const unavailable = MISSING_MODULE.has(error.code ?? '') && parts === null;
      settle(() =>
        reject(unavailable ? new WorkerUnavailable(error.message, { cause: error }) : new FlagwireError('invalid_flags_file', `flags file ${file}: reading it failed: ${error.message}`, { cause: error })),
      );
    });
    worker.on('exit', (code) => {
      if (!settled) settle(() => reject(new FlagwireError('invalid_flags_file', `flags file ${file}: the thread reading it stopped (exit code ${code})`)));
    });
  });
  return { data, terminate: () => void worker.terminate() };
}

// Defined where this module is CommonJS (the package's .cjs build), whose import.meta is empty.
declare const __filename: string | undefined;

/**
 * The worker's module sits beside this one, with this one's extension: `.js`/`.cjs` in the package. From source
 * (flagwire's own tests and benches run TypeScript through tsx or vitest) it is `.ts`, which Node reads only once
 * tsx is registered in the worker.
 */
function startWorker(input: ToFlagsWorker): Worker {
  // Loaded when a file is large enough to read off this thread, not at import (it costs a cold start some 3 ms).
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  const here = typeof __filename === 'string' ? pathToFileURL(__filename).href : import.meta.url;
  const url = new URL(`./flags-file-worker${here.slice(here.lastIndexOf('.'))}`, here);
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: input });
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { eval: true, workerData: input });
}
