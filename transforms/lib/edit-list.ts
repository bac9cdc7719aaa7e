// `node edit-list.js ROOT [TARGET]`: the edits a run proposes, as JSON on stdout. The
// jscodeshift transform runs the engine through this script in a plain Node process, since
// jscodeshift's Babel hook would compile TypeScript and ts-morph again on every load.
// Test hook: with MIDDLEWARE_CODEMOD_TEST_ANALYSIS_LOG set, each analysis appends a line to
// that file (the tests count them).
import { appendFileSync } from "node:fs";
import { analyse } from "./api.ts";

const [root, target] = process.argv.slice(2);
const log = process.env.MIDDLEWARE_CODEMOD_TEST_ANALYSIS_LOG;
if (log) appendFileSync(log, `${process.pid} ${root}\n`);
const analysis = await analyse({ cwd: root, target: target || undefined });
process.stdout.write(JSON.stringify(analysis.edits));
