// A cold start of FeatBit's Node SDK for bench/peers/cold-start.ts, run by plain node: offline, its bootstrap
// from a JSON file, then the first answer (FeatBit keeps no users: the role comes with the request).
// Argument: the bootstrap file.
import { readFileSync } from 'node:fs';
import { FbClientBuilder } from '@featbit/node-server-sdk';

const [bootstrapFile] = process.argv.slice(2);
const client = new FbClientBuilder().offline(true).useJsonBootstrapProvider(readFileSync(bootstrapFile, 'utf8')).logLevel('none').build();
await client.waitForInitialization();
const user = (role) => ({ key: role, name: role, customizedProperties: [{ name: 'role', value: role }] });
const first = await client.boolVariation('admin-tools', user('admin'), false);
process.stdout.write(`answered ${first} ${performance.now()}\n`);
process.stdout.write(`second ${await client.boolVariation('admin-tools', user('viewer'), false)}\n`);
process.exit(0);
