// The language front ends, in the order they run. Each definition is light: its parser
// (the TypeScript compiler, tree-sitter) loads only when a file of its language is read.
import type { Language, NameSet, Profile } from "../model.ts";
import type { FrontEnd } from "./front-end.ts";
import { python } from "./python/front-end.ts";
import { typescript } from "./typescript/front-end.ts";

export type { FrontEnd };

export const FRONT_ENDS: readonly FrontEnd[] = [typescript, python];

/** Every file name ending a front end reads. */
export const SOURCE_EXTENSIONS: readonly string[] = FRONT_ENDS.flatMap((f) => f.extensions);

export function frontEndOf(language: Language): FrontEnd {
  const f = FRONT_ENDS.find((x) => x.languages.includes(language));
  if (!f) throw new Error(`no front end reads ${language}`);
  return f;
}

/** The front end that reads a file, by its name; null for none. */
export function frontEndFor(file: string): FrontEnd | null {
  return FRONT_ENDS.find((f) => f.extensions.some((e) => file.endsWith(e))) ?? null;
}

/** The declaration names of every language; TS/JS from the profile (`--config`). */
export function namesByLanguage(profile: Profile): Record<Language, NameSet> {
  const out = {} as Record<Language, NameSet>;
  for (const f of FRONT_ENDS) {
    const { hooks: _hooks, ...names } = f.names(profile);
    for (const language of f.languages) out[language] = names;
  }
  return out;
}
