// The Python pre-filter: a file whose classes name nothing of middleware is still parsed when a
// base (or a class decorator) binds to a class that leads there, whatever form the binding
// takes; a file whose bases cannot lead there is not. Whole sets compared: the files kept, the
// classes found.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readPython } from "../transforms/lib/frontends/python/index.ts";
import { buildModuleIndex } from "../transforms/lib/frontends/python/modules.ts";
import { filesWorthParsing } from "../transforms/lib/frontends/python/prefilter.ts";
import { DEFAULT_PROFILE, type SourceFile } from "../transforms/lib/model.ts";
import { decide } from "../transforms/lib/decide.ts";
import { namesByLanguage } from "../transforms/lib/frontends/index.ts";
import { upstreamClasses } from "../transforms/lib/django/upstream.ts";
import { readProjectFile } from "../transforms/lib/files.ts";
import { ROOT as REPO } from "./helpers/cli.ts";

/** Every .py file under `root`, as the CLI reads them (relative names with `/`). */
function readFiles(root: string, rel = ""): SourceFile[] {
  const out: SourceFile[] = [];
  for (const e of readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...readFiles(root, r));
    else if (e.name.endsWith(".py")) out.push({ absPath: path.join(root, r), file: r, text: readFileSync(path.join(root, r), "utf8") });
  }
  return out;
}

function writeTree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "mwc-prefilter-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

function worth(root: string): string[] {
  const files = readFiles(root);
  const index = buildModuleIndex(files, root, [root]);
  return [...filesWorthParsing(files, index, () => false)].map((f) => f.file).sort();
}

async function classes(root: string): Promise<{ found: string[]; parsed: number }> {
  const r = await readPython(readFiles(root), {
    cwd: root,
    upstream: upstreamClasses({ version: "5.2", source: "--target" }),
    roots: [root],
    readFile: (absPath) => readProjectFile(root, absPath),
  });
  // The front end returns every class it built; decide keeps the middleware ones.
  const { decisions } = decide(r.classes, { djangoTarget: null, names: namesByLanguage(DEFAULT_PROFILE) });
  return { found: decisions.map((d) => `${d.node.file}:${d.node.name}`).sort(), parsed: r.parsedFiles };
}

describe("binding forms (fixtures/py-prefilter-bindings)", () => {
  const root = path.join(REPO, "fixtures/py-prefilter-bindings/input");

  it("keeps each file whose class binds to the middleware base, by import, re-export, star, alias, module attribute, fallback, same-line statement, continuation, relative import, chain, decorator or a flag set after the class; and no other", () => {
    expect(worth(root)).toEqual([
      "audit/base.py", // the base itself: hooks
      "audit/contrib/relative.py", // from ..base import AuditBase as _Base
      "audit/layers.py", // base.AuditBase after `from . import base`
      "audit/marks.py", // LateBound.sync_capable = True after the class
      "billing/alias.py", // Parent = audit_base.AuditBase
      "billing/chain.py", // Leaf(Middle), Middle(TracedAudit)
      "billing/decorated.py", // @quiet sets the flag; LateBound's subclass
      "billing/dotted.py", // audit.base.AuditBase after `import audit.base`; layers.TracedAudit
      "billing/fallback.py", // try: from audit.base import AuditBase / except: AuditBase = object
      "billing/multiline.py", // parenthesised import with a comment; a backslash continuation
      "billing/oneline.py", // try: from … import … on one line
      "billing/pruefung.py", // a re-export under an alias, a non-ASCII class name
      "billing/reexport.py", // from audit import AuditBase (the package's __init__)
      "billing/star.py", // from audit.shims import * (itself a star of audit.base)
      // Not: the packages' __init__ and shims (no class), reports/ (plain helpers' subclasses).
    ]);
  });

  it("finds every one of those middleware classes (decide keeps them; RequestClock, an ancestor of CouponAudit, is not middleware), parsing no file of reports/", async () => {
    const { found, parsed } = await classes(root);
    expect(found).toEqual([
      "audit/base.py:AuditBase",
      "audit/contrib/relative.py:RelativeAudit",
      "audit/layers.py:TracedAudit",
      "audit/marks.py:LateBound",
      "billing/alias.py:RefundAudit",
      "billing/chain.py:Leaf",
      "billing/chain.py:Middle",
      "billing/decorated.py:LateCharge",
      "billing/decorated.py:SilentCharge",
      "billing/dotted.py:LedgerAudit",
      "billing/dotted.py:TracedLedgerAudit",
      "billing/fallback.py:TaxAudit",
      "billing/multiline.py:CouponAudit",
      "billing/multiline.py:VoucherAudit",
      "billing/oneline.py:DiscountAudit",
      "billing/pruefung.py:Prüfung",
      "billing/reexport.py:PaymentAudit",
      "billing/star.py:InvoiceAudit",
    ]);
    // The 14 files kept, and the three modules resolution reads on the way (audit/__init__, shims, marks' import).
    expect(parsed).toBe(16);
  });
});

describe("binding forms in other places", () => {
  const BASE = "from django.utils.deprecation import MiddlewareMixin\n\n\nclass AuditBase(MiddlewareMixin):\n    def process_request(self, request):\n        pass\n";

  it("a class under if/else, nested, inside a function; a submodule reached through its package; a module-level setattr", async () => {
    const root = writeTree({
      "lib/__init__.py": "VERSION = 2\n",
      "lib/base.py": BASE,
      "lib/variants.py":
        "import os\n\nfrom lib.base import AuditBase\n\nif os.environ.get('QUIET'):\n    class Variant(AuditBase):\n        quiet = True\nelse:\n    class Variant:\n        quiet = False\n",
      "lib/flagged.py": "class Plain:\n    label = 'plain'\n\n\nsetattr(Plain, 'async_capable', False)\n",
      "app/__init__.py": "",
      "app/conditional.py": "from lib.variants import Variant\n\n\nclass Chosen(Variant):\n    pass\n",
      "app/nested.py": "import lib.base\n\n\nclass Outer:\n    class Inner(lib.base.AuditBase):\n        pass\n",
      "app/factory.py": "from lib import base\n\n\ndef build():\n    class Local(base.AuditBase):\n        pass\n\n    return Local\n",
      "app/through.py": "import lib\n\n\nclass Through(lib.base.AuditBase):\n    pass\n",
      "app/flagged.py": "from lib.flagged import Plain\n\n\nclass Child(Plain):\n    pass\n",
      "app/unrelated.py":
        "import lib\nimport sqlite3 as Database\nfrom lib.base import AuditBase\n\n\nclass Config(dict):\n    audit = AuditBase\n    Database = Database\n\n\nclass Cursor(Database.Cursor):\n    pass\n",
      // A byte-order mark before the first statement.
      "app/bom_import.py": "\uFEFFfrom lib.base import AuditBase\n\n\nclass Marked(AuditBase):\n    pass\n",
      "app/bom_class.py": "\uFEFFclass Unknown(NotDefinedHere):\n    def process_request(self, request):\n        pass\n",
    });
    expect(worth(root)).toEqual([
      "app/bom_class.py",
      "app/bom_import.py",
      "app/conditional.py",
      "app/factory.py",
      "app/flagged.py",
      "app/nested.py",
      "app/through.py",
      "lib/base.py",
      "lib/flagged.py",
      "lib/variants.py",
    ]);
    const { found } = await classes(root);
    expect(found).toEqual([
      "app/bom_class.py:Unknown",
      "app/bom_import.py:Marked",
      "app/conditional.py:Chosen",
      "app/factory.py:Local",
      "app/flagged.py:Child",
      "app/nested.py:Inner",
      "app/through.py:Through",
      "lib/base.py:AuditBase",
      "lib/flagged.py:Plain",
      "lib/variants.py:Variant",
    ]);
  });

  it("a module asked about many names: its aliases found in one pass, one on a first line after a byte-order mark", () => {
    const names = Array.from({ length: 10 }, (_, i) => `Plain${i}`);
    const root = writeTree({
      "lib/__init__.py": "",
      "lib/base.py": BASE,
      "lib/many.py": `\uFEFFLead = base.AuditBase\nimport os\nfrom lib import base\n\n${names.map((n) => `${n} = os.sep`).join("\n")}\n`,
      "app/__init__.py": "",
      "app/users.py": `from lib import many\n\n${[...names, "Lead"].map((n) => `\nclass Uses${n}(many.${n}):\n    pass\n`).join("\n")}`,
      "app/plain.py": `from lib import many\n\n${names.map((n) => `\nclass Only${n}(many.${n}):\n    pass\n`).join("\n")}`,
    });
    expect(worth(root)).toEqual(["app/users.py", "lib/base.py"]);
  });

  it("what is not read here counts as leading: an installed package, a project module outside the scan, a header that does not scan", () => {
    const root = writeTree({
      "app/__init__.py": "",
      "app/installed.py": "from thirdparty.mw import Base\n\n\nclass FromPackage(Base):\n    pass\n",
      "app/broken.py": "from lib import Thing\n\n\nclass Broken(Thing,\n    pass\n",
      "app/stdlib.py": "import collections\n\n\nclass Counter(collections.Counter):\n    pass\n",
    });
    const files = readFiles(root);
    const index = buildModuleIndex(files, root, [root]);
    const kept = (lead: (m: string) => boolean) => [...filesWorthParsing(files, index, lead)].map((f) => f.file).sort();
    expect(kept(() => false)).toEqual(["app/broken.py"]);
    expect(kept((m) => m.startsWith("thirdparty"))).toEqual(["app/broken.py", "app/installed.py"]);
  });
});
