#!/usr/bin/env node
// The physical floor for a scan: a plain Node script that lists every source file under the
// given folders (skipping node_modules and .git, as the codemod does), reads each one once
// and regex-matches it for the middleware names. No parser, no .gitignore, no decisions.
// Prints one JSON line: {"files": N, "bytes": N, "matches": N}.
//   node bench/baseline-read.mjs [dir...]
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const SOURCE = /\.(?:[cm]?[jt]sx?|py)$/;
const NEVER = new Set(["node_modules", ".git", ".hg", ".svn", "__pycache__"]);
const WORDS = /(?<![\w$])(?:MiddlewareMixin|asyncCapable|syncCapable|async_capable|sync_capable)(?![\w$])/;

let files = 0;
let bytes = 0;
let matches = 0;

function walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!NEVER.has(e.name)) walk(p);
    } else if (e.isFile() && SOURCE.test(e.name)) {
      let text;
      try {
        text = readFileSync(p, "utf8");
      } catch {
        continue;
      }
      files++;
      bytes += text.length;
      if (WORDS.test(text)) matches++;
    }
  }
}

for (const d of process.argv.length > 2 ? process.argv.slice(2) : ["."]) walk(path.resolve(d));
process.stdout.write(JSON.stringify({ files, bytes, matches }) + "\n");
