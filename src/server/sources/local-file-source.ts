import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { FlagwireError } from '../errors';
import { type FlagsData, loadFlagsText } from '../flags-file/load';
import type { FlagsSource } from '../modes/mode';

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
 * The flags file as a data source: read once at start, then again whenever it changes. A read that fails
 * (missing file, syntax error, invalid flag) is reported and the last good data stays in use.
 */
export class LocalFileSource implements FlagsSource {
  private watcher: FSWatcher | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastText: string | null = null;
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
    let text: string;
    try {
      text = await readFile(this.options.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const problem = code === 'ENOENT' ? 'not found (create it, or point the flagsFile option at yours)' : (error as Error).message;
      // The file as it comes back must be loaded even if its text is what was last read: the failure made
      // the client stale, and only a load makes it ready again.
      this.lastText = null;
      if (!this.closed) this.options.onError(new FlagwireError('invalid_flags_file', `flags file ${this.options.file}: ${problem}`));
      return;
    }
    if (this.closed || text === this.lastText) return;
    this.lastText = text;
    try {
      this.options.onData(loadFlagsText(text, this.options.file));
    } catch (error) {
      // Reloads run from a timer with nobody awaiting them: rethrowing would be an unhandled rejection
      // that ends the process, so every failure is reported and the last good flags stay in use.
      this.options.onError(
        error instanceof FlagwireError ? error : new FlagwireError('invalid_flags_file', `flags file ${this.options.file}: ${String((error as Error)?.message ?? error)}`, { cause: error }),
      );
    }
  }
}
