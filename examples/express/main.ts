// `npm start`: the example app on flagwire's embedded default (the local flags file next to this one), or on a
// FeatBit server when FLAGWIRE_FEATBIT_URL (and FLAGWIRE_FEATBIT_SECRET) are set.
import { startExample } from './server';

const example = await startExample({ port: Number(process.env.PORT ?? 3000) });
console.log(`flagwire example running at ${example.url}`);
if (example.client.mode === 'featbit') console.log('Flags come from FeatBit: change them there while it runs, and open pages update live.');
else console.log('Edit examples/express/flagwire.flags.json while it runs: open pages update live.');
