// `--config FILE`: a JSON profile merged over DEFAULT_PROFILE. Each section merges key by
// key; `mixins` replaces the default list (a team that adds its own mixin lists both).
// Unknown keys are errors, not ignored: a typo would otherwise silently change nothing.
import { readFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_PROFILE, type Profile } from "../transforms/lib/model.ts";
import { plainError } from "./describe.ts";
import { UsageError } from "./options.ts";

const SECTIONS = { flags: DEFAULT_PROFILE.flags, hooks: DEFAULT_PROFILE.hooks, dispatch: DEFAULT_PROFILE.dispatch } as const;

/** `file` as the user wrote it (messages name it so); read relative to cwd. */
export function loadProfile(file: string, cwd = process.cwd()): Profile {
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), "utf8");
  } catch (e) {
    throw new UsageError(`--config ${file}: cannot read it: ${plainError(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--config ${file}: invalid JSON: ${jsonErrorWhere(text, (e as Error).message)}`);
  }
  const fail = (key: string, what: string): never => {
    throw new UsageError(`--config ${file}: ${key ? `"${key}" ` : ""}${what}`);
  };
  if (!isObject(json)) return fail("", "must be a JSON object");
  const profile: Profile = structuredClone(DEFAULT_PROFILE);
  for (const [key, value] of Object.entries(json)) {
    if (key === "mixins") {
      if (!Array.isArray(value) || !value.length) fail(key, "must be a non-empty array of {name, from?}");
      profile.mixins = (value as unknown[]).map((m, i) => {
        const at = `mixins[${i}]`;
        if (!isObject(m)) return fail(at, "must be an object {name, from?}");
        for (const k of Object.keys(m)) if (k !== "name" && k !== "from") fail(`${at}.${k}`, "is not a known key (allowed: name, from)");
        if (typeof m.name !== "string" || !m.name) fail(`${at}.name`, "must be a non-empty string");
        if (m.from !== undefined && !(Array.isArray(m.from) && m.from.every((s) => typeof s === "string"))) fail(`${at}.from`, "must be an array of module specifiers");
        return m.from === undefined ? { name: m.name as string } : { name: m.name as string, from: m.from as string[] };
      });
    } else if (key in SECTIONS) {
      const defaults = SECTIONS[key as keyof typeof SECTIONS] as Record<string, string>;
      if (!isObject(value)) fail(key, "must be an object");
      for (const [k, v] of Object.entries(value as object)) {
        if (!(k in defaults)) fail(`${key}.${k}`, `is not a known key (allowed: ${Object.keys(defaults).join(", ")})`);
        if (typeof v !== "string" || !/^[A-Za-z_$][\w$]*$/.test(v)) fail(`${key}.${k}`, "must be an identifier");
        (profile[key as keyof typeof SECTIONS] as Record<string, string>)[k] = v;
      }
    } else {
      fail(key, "is not a known key (allowed: mixins, flags, hooks, dispatch)");
    }
  }
  return profile;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** V8 names a character position; people look for a line and column. */
function jsonErrorWhere(text: string, message: string): string {
  const m = /at position (\d+)/.exec(message);
  if (!m || /\(line \d+/.test(message)) return message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  const column = pos - before.lastIndexOf("\n");
  return `${message} (line ${line} column ${column})`;
}
