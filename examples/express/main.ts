// `npm start`: the example app on flagwire's embedded default (the local flags file next to this one).
import { startExample } from './server';

const example = await startExample({ port: Number(process.env.PORT ?? 3000) });
console.log(`flagwire example running at ${example.url}`);
console.log('Edit examples/express/flagwire.flags.json while it runs: open pages update live.');
