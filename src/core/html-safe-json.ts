/**
 * JSON that is safe inside an inline `<script>` in HTML: `window.__FLAGS__ = ${htmlSafeJson(snapshot)}`.
 * Nothing in it can close the script element (`</script>`), open an HTML comment (`<!--`), or break the
 * line in older engines (U+2028, U+2029); parsed as JavaScript or as JSON it is the same value.
 */
export function htmlSafeJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('[flagwire] htmlSafeJson: the value has no JSON form');
  return json.replace(UNSAFE_IN_SCRIPT, (character) => ESCAPES[character] as string);
}

const UNSAFE_IN_SCRIPT = /[<>&\u2028\u2029]/g;
const ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};
