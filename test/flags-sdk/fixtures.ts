import { randomBytes } from 'node:crypto';
import { createFlagsClient, type FlagsClient } from '../../src/server/index';
import { recordingLogger, tempFlagsFile } from '../support/flags-files';

/** A FLAGS_SECRET as an app makes one: 32 random bytes, base64url. */
export const SECRET = randomBytes(32).toString('base64url');
/** Another app's secret: a cookie made with it is a forgery here. */
export const OTHER_SECRET = randomBytes(32).toString('base64url');

export const FLAGS = {
  headline: {
    description: 'The home page headline experiment',
    client: true,
    variations: { control: 'Feature flags', bold: 'Ship it dark', question: 'What if?' },
    default: 'control',
    rules: [{ when: 'company.plan = enterprise', value: 'bold' }],
  },
  layout: { client: true, variations: { narrow: { columns: 1 }, wide: { columns: 2 } }, default: 'narrow' },
  'new-dashboard': { description: 'The redesigned dashboard', client: true, rules: [{ when: 'company.plan = pro' }] },
  'internal-audit': { rules: [{ when: 'company.plan = enterprise' }] },
};

/** A ready client on a flags file: acme is on Pro, initech on Enterprise. `close()` also removes the file. */
export async function overridesClient(): Promise<FlagsClient> {
  const file = tempFlagsFile({
    flags: FLAGS,
    companies: [
      { id: 'acme', keys: { domain: 'acme.test' }, plan: 'pro' },
      { id: 'initech', keys: { domain: 'initech.test' }, plan: 'enterprise' },
    ],
  });
  const client = createFlagsClient({ flagsFile: file.file, watch: false, logger: recordingLogger().logger });
  const close = client.close.bind(client);
  client.close = async () => {
    await close();
    file.cleanup();
  };
  await client.ready();
  return client;
}
