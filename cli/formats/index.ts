// Every output of a run by name, one signature each: --json, --format github / sarif, the
// --dry-run diff on stdout, and the --report Markdown file.
import { diff } from "./diff.ts";
import type { Formatter } from "./format.ts";
import { github } from "./github.ts";
import { json } from "./json.ts";
import { markdown } from "./markdown.ts";
import { sarif } from "./sarif.ts";

export type { Formatter, RunOutput } from "./format.ts";

export const FORMATS = { json, github, sarif, diff, markdown } satisfies Record<string, Formatter>;

export type FormatName = keyof typeof FORMATS;
