// The Python front end's definition: Django-style middleware in `.py` files.
import { PYTHON_NAMES } from "../../model.ts";
import type { FrontEnd } from "../front-end.ts";

export const python: FrontEnd = {
  label: "Python",
  languages: ["py"],
  extensions: [".py"],
  names: () => ({ ...PYTHON_NAMES.flags, mixin: "MiddlewareMixin", ...PYTHON_NAMES.dispatch, hooks: PYTHON_NAMES.hooks }),
  literal: (value) => (value ? "True" : "False"),
  ignoreComment: /#\s*middleware-codemod:\s*ignore\b(?:\[([^\]]*)\])?/,
  async read(files, context) {
    const { readPython } = await import("./index.ts");
    return readPython(files, {
      cwd: context.cwd,
      upstream: context.upstream!,
      sitePackages: context.sitePackages,
      roots: context.paths,
      readFile: context.readFile,
      keepSyntax: context.keepSyntax,
    });
  },
};
