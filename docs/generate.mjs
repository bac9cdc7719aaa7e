// `npm run docs`: writes rules.md (this folder) from the rule modules, through the built code index.
import { writeFileSync } from "node:fs";
import { rulesMarkdown } from "../dist/cli/rule-docs.js";

writeFileSync(new URL("../docs/rules.md", import.meta.url), rulesMarkdown());
