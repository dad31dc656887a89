import { type FSWatcher, watch } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { asFlagwireError, FlagwireError } from '../../core/errors';
import { loadFlagsTextLazily } from '../../flags-file/load-lazily';
import { MAX_FLAGS_FILE_BYTES, tooLarge } from '../../flags-file/size-limit';
import type { FlagsData } from '../../flags-file/flags-data';
import { loadOffThread, type OffThreadLoad, WorkerUnavailable } from './load-off-thread';

/** What a flags source is given: the file, whether to watch it, and where its data and errors go. */
export interface FlagsSourceHandlers {
  file: string;
  watch: boolean;
  onData: (data: FlagsData) => void;
  onError: (error: FlagwireError) => void;
}

/** Editors save in bursts (truncate, write, rename): wait for the file to settle before reading it. */
const SETTLE_MS = 10;

/**
 * From this size on a file is read in a worker thread. Reading one costs about 0.4 s per MB (a 31 MB file with
 * 400,000 users held the event loop for 13.6 s): below this, about as long as starting a worker takes.
 */
export const WORKER_FROM_BYTES = 256 * 1024;

/**
 * The flags file as a data source: read once at start, then again whenever it changes. A read that fails
 * (missing file, syntax error, invalid flag, a file too large) is reported and the last good data stays in use.
 * A large file is read in a worker thread, so checks keep answering (with the last good flags) meanwhile.
 */
export class LocalFileSource {
  private watcher: FSWatcher | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastBytes: Buffer | null = null;
  /** Counts loads, so a load that finishes after a newer one began is dropped. */
  private loads = 0;
  private offThread: OffThreadLoad | null = null;
  private closed = false;

  private readonly options: FlagsSourceHandlers;

  constructor(options: FlagsSourceHandlers) {
    // Relative paths are from the working directory, resolved once so a later chdir changes nothing.
    this.options = { ...options, file: resolve(options.file) };
  }

  async start(): Promise<void> {
    if (this.options.watch) this.watchDirectory();
    await this.reload();
  }

  close(): void {
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
    this.offThread?.terminate();
    this.offThread = null;
  }

  /** Watching the directory, not the file, survives editors that replace the file on save. */
  private watchDirectory(): void {
    const name = basename(this.options.file);
    try {
      this.watcher = watch(dirname(this.options.file), (_event, changed) => {
        if (changed !== null && changed !== name) return;
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.reload(), SETTLE_MS);
      });
      this.watcher.on('error', (error) => this.options.onError(new FlagwireError('invalid_flags_file', `cannot watch ${this.options.file}: ${error.message}`)));
    } catch (error) {
      this.options.onError(new FlagwireError('invalid_flags_file', `cannot watch ${this.options.file}: ${(error as Error).message}`));
    }
  }

  private async reload(): Promise<void> {
    const { file } = this.options;
    const unreadable = (problem: string) => {
      // The file as it comes back must be loaded even if its text is what was last read: the failure made
      // the client stale, and only a load makes it ready again.
      this.lastBytes = null;
      if (!this.closed) this.options.onError(new FlagwireError('invalid_flags_file', `flags file ${file}: ${problem}`));
    };
    let bytes: Buffer;
    try {
      // Refused before it is read: a file this size would take gigabytes to hold while it is read.
      const { size } = await stat(file);
      if (size > MAX_FLAGS_FILE_BYTES) return unreadable(tooLarge(size));
      bytes = await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return unreadable(code === 'ENOENT' ? 'not found (create it, or point the flagsFile option at yours)' : (error as Error).message);
    }
    if (this.closed || (this.lastBytes !== null && bytes.equals(this.lastBytes))) return;
    this.lastBytes = bytes;
    const load = ++this.loads;
    try {
      const data = await this.load(bytes);
      if (!this.closed && load === this.loads) this.options.onData(data);
    } catch (error) {
      // Reloads run from a timer with nobody awaiting them: rethrowing would be an unhandled rejection
      // that ends the process, so every failure is reported and the last good flags stay in use.
      if (this.closed || load !== this.loads) return;
      this.options.onError(asFlagwireError(error, 'invalid_flags_file', `flags file ${file}: `));
    }
  }

  /** A large file is read in a worker thread; a small one, or one in FeatBit's format, here. */
  private async load(bytes: Buffer): Promise<FlagsData> {
    const here = () => loadFlagsTextLazily(bytes.toString('utf8'), this.options.file);
    if (bytes.length < WORKER_FROM_BYTES) return here();
    this.offThread?.terminate();
    const offThread = loadOffThread(bytes, this.options.file);
    this.offThread = offThread;
    try {
      return (await offThread.data) ?? here();
    } catch (error) {
      // Where the worker's module cannot be found (a bundler moved this one), the file is still read: here.
      if (error instanceof WorkerUnavailable) return here();
      throw error;
    } finally {
      if (this.offThread === offThread) this.offThread = null;
    }
  }
}
