// The TS/JS front end's definition: its names come from the profile (`--config`).
import path from "node:path";
import type { FrontEnd } from "../front-end.ts";

export const typescript: FrontEnd = {
  label: "TS/JS",
  languages: ["ts", "js"],
  extensions: [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"],
  names: (profile) => ({ ...profile.flags, mixin: profile.mixins[0]?.name ?? "MiddlewareMixin", ...profile.dispatch, hooks: profile.hooks }),
  literal: (value) => String(value),
  ignoreComment: /\/\/\s*middleware-codemod-ignore\b(?:\[([^\]]*)\])?/,
  async read(files, context) {
    const { readTypeScript } = await import("./index.ts");
    const paths = context.paths.map((p) => path.resolve(context.cwd, p));
    return readTypeScript(files, { cwd: context.cwd, profile: context.profile, roots: context.projectRoots(), paths, readFile: context.readFile });
  },
};
