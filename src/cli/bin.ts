#!/usr/bin/env node
import { runCli } from './index';

// No top-level await: the command is built as CommonJS too, beside the rest of the package.
void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
