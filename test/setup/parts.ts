// Where the provisioned real parts are (test/setup/provision.mjs). The global setup
// provisions them and names them in MWC_* variables; a test file run on its own provisions
// them here (a stamp check once they are in the cache). Python runs as `python3 -S`, with
// only the part on PYTHONPATH: nothing installed system-wide can stand in for it.
import { existsSync } from "node:fs";
import path from "node:path";
// @ts-expect-error: a plain ES module without types
import { partsEnv, provision, PYTHON as SYSTEM_PYTHON } from "./provision.mjs";

export const PYTHON: string = SYSTEM_PYTHON;
export const DJANGO_VERSIONS = ["3.2", "4.2", "5.2"] as const;
export type DjangoVersion = (typeof DJANGO_VERSIONS)[number];

const djangoVar = (v: DjangoVersion) => `MWC_DJANGO_${v.replace(".", "_")}`;
/** The variables that name the parts (set by the global setup, or by hand). */
export const PART_VARIABLES = [...DJANGO_VERSIONS.map(djangoVar), "MWC_TOOLS_PYTHONPATH", "MWC_TOOLS_BIN"];
const NAMES = PART_VARIABLES;

let env: Record<string, string> | undefined;
function partsVars(): Record<string, string> {
  if (!env) {
    if (NAMES.every((n) => process.env[n])) env = Object.fromEntries(NAMES.map((n) => [n, process.env[n]!]));
    else env = partsEnv(provision({ log: () => {} })) as Record<string, string>;
  }
  return env;
}

function existing(name: string, probe: string): string {
  const dir = partsVars()[name];
  if (!dir || !existsSync(path.join(dir, probe))) throw new Error(`${name}=${dir ?? ""} has no ${probe}: run \`node test/setup/provision.mjs\``);
  return dir;
}

/** The PYTHONPATH root of Debian's Django `version` (with its asgiref and sqlparse). */
export function djangoPath(version: DjangoVersion): string {
  return existing(djangoVar(version), "django/__init__.py");
}

/** Environment for black and pre-commit: their bin folder first on PATH, their packages on PYTHONPATH. */
export function toolsEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const bin = existing("MWC_TOOLS_BIN", "pre-commit");
  const site = existing("MWC_TOOLS_PYTHONPATH", "pre_commit/__init__.py");
  return { ...base, PATH: `${bin}${path.delimiter}${base.PATH ?? ""}`, PYTHONPATH: site };
}

/** `python3 -S` with PYTHONPATH = `pythonPath` (nothing else: no user or system site-packages). */
export function pythonEnv(pythonPath: string[], base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, PYTHONPATH: pythonPath.join(path.delimiter), PYTHONDONTWRITEBYTECODE: "1" };
  delete env.DJANGO_SETTINGS_MODULE;
  delete env.PYTHONHOME;
  return env;
}
