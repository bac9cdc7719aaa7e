#!/usr/bin/env node
// The command line: a thin shell over cli/run.ts, which is a thin shell over the library API.
import { run } from "./run.ts";

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (e) {
  // A bug, not a usage error: show where, and still exit with the error status.
  process.stderr.write(`middleware-codemod: internal error: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 2;
}
