/**
 * The largest flags file read, in bytes: reading one takes about 25 bytes of memory per byte of file while it
 * lasts, beside the companies and users kept after (a 33 MB file of 400,000 users peaked at 2.1 GB). Companies
 * and users by the hundred thousand belong in a database, identified at runtime.
 */
export const MAX_FLAGS_FILE_BYTES = 64 * 1024 * 1024;

/** Why a file over MAX_FLAGS_FILE_BYTES is not read, and what to do instead. */
export function tooLarge(size: number): string {
  const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${mb(size)} is more than a flags file may hold (${mb(MAX_FLAGS_FILE_BYTES)}): keep companies and users in your database and identify them at runtime`;
}
