import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createFlagsClient } from '../../src/server/index';

/** Every file `next build` wrote as a page's static output under `dir`: HTML, RSC payloads (segments too), route bodies. */
export function staticOutputFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(html|rsc|body)$/.test(file))
    .map((file) => join(dir, file));
}

/** One company's value of one flag, as a page payload would carry it: `"key":{…}`. */
export interface CompanyFragment {
  company: string;
  key: string;
  fragment: string;
}

/**
 * The flag values that belong to one company: for each company of the flags file, each browser flag whose
 * value for it (as the example's context asks: the company by domain, the signed-in user by email) differs
 * from the value for no visitor (what `getCachedFlags()` serves every visitor of a static page).
 */
export async function perCompanyFragments(flagsFile: string, companies: readonly string[], user: { email: string }): Promise<CompanyFragment[]> {
  const client = createFlagsClient({ flagsFile, logLevel: 'silent' });
  try {
    await client.ready();
    const nobody = (await client.snapshot({})).toJSON().flags;
    const fragments: CompanyFragment[] = [];
    for (const company of companies) {
      const flags = (await client.snapshot({ company: { domain: company }, user })).toJSON().flags;
      for (const [key, flag] of Object.entries(flags)) {
        if (JSON.stringify(flag) === JSON.stringify(nobody[key])) continue;
        fragments.push({ company, key, fragment: `${JSON.stringify(key)}:${JSON.stringify(flag)}` });
      }
    }
    return fragments;
  } finally {
    await client.close();
  }
}

/** The fragments `text` carries, as JSON or escaped inside a string (how Next inlines RSC payloads in HTML). */
export function carriedFragments(text: string, fragments: readonly CompanyFragment[]): CompanyFragment[] {
  return fragments.filter(({ fragment }) => text.includes(fragment) || text.includes(fragment.replaceAll('"', '\\"')));
}
