// A cold start of flagwire for bench/peers/cold-start.ts, run by plain node on the built package: the flags
// file, then the first answer. Arguments: the flags file, then `stored <admin id> <viewer id>` (users in the
// file, found by id) or `attributes` (a file without users: the role comes with the request).
import { createFlagsClient } from 'flagwire/server';

const [flagsFile, who, adminId, viewerId] = process.argv.slice(2);
const context = (id, role) => (who === 'stored' ? { user: { id } } : { user: { id }, attributes: { user: { role } } });
const client = createFlagsClient({ flagsFile });
await client.ready();
const first = await client.checkFlag(context(adminId ?? 'admin', 'admin'), 'admin-tools');
process.stdout.write(`answered ${first} ${performance.now()}\n`);
// Untimed: a second answer that must differ, so the first cannot be a default that happens to fit.
process.stdout.write(`second ${await client.checkFlag(context(viewerId ?? 'viewer', 'viewer'), 'admin-tools')}\n`);
process.exit(0);
