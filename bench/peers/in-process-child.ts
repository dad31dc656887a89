import { assertOnBuiltPackage } from './built-child';
import { checksSection } from './checks';
import { peerClients } from './clients';
import { storedUsers } from './fixtures';
import { firstSnapshotSection } from './first-snapshot';

/**
 * Items 3–5 of the peers bench, in a process of their own on the built package (see built-child.ts): the checks
 * on a client holding CLIENT_USERS users from its flags file, then the first snapshots. Prints the section's
 * lines as one JSON array.
 */
const CLIENT_USERS = 1000;

assertOnBuiltPackage();
const users = storedUsers(CLIENT_USERS);
const clients = await peerClients(users);
let checks: string[];
try {
  checks = await checksSection(clients, users);
} finally {
  await clients.close();
}
const heading = ['', `### 3–5. Checks on a client holding ${CLIENT_USERS.toLocaleString('en')} users from its flags file`, ''];
console.log(JSON.stringify([...heading, ...checks, ...(await firstSnapshotSection())]));
