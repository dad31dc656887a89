// The floor for bench/peers/cold-start.ts: a node process that answers at once, with no SDK.
process.stdout.write(`answered true ${performance.now()}\n`);
process.stdout.write('second false\n');
process.exit(0);
