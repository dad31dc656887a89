// A cold start of GrowthBook for bench/peers/cold-start.ts, run by plain node: its payload from a JSON file
// (`initSync`, its fastest server-side start), then the first answer. Arguments: the payload file, then
// `stored <users file> <admin id> <viewer id>` (the app's users as attribute objects, read from a JSON file
// into a Map) or `attributes` (the role comes with the request).
import { readFileSync } from 'node:fs';
import { GrowthBookClient } from '@growthbook/growthbook';

const [payloadFile, who, usersFile, adminId, viewerId] = process.argv.slice(2);
const client = new GrowthBookClient().initSync({ payload: JSON.parse(readFileSync(payloadFile, 'utf8')) });
const users = who === 'stored' ? new Map(JSON.parse(readFileSync(usersFile, 'utf8')).map((attributes) => [attributes.id, attributes])) : null;
const attributes = (id, role) => (users ? users.get(id) : { id, role });
const first = client.isOn('admin-tools', { attributes: attributes(adminId ?? 'admin', 'admin') });
process.stdout.write(`answered ${first} ${performance.now()}\n`);
process.stdout.write(`second ${client.isOn('admin-tools', { attributes: attributes(viewerId ?? 'viewer', 'viewer') })}\n`);
process.exit(0);
