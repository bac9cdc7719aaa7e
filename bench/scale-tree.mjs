// Trees for bench/scale.mjs (and the tests): a generated TypeScript code base of N middleware
// files in cross-file chains, a generated Django project, and copies of real JS/TS files
// without middleware (the project's node_modules, or pinned npm packages).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_STACK } from "../test/django/default-stack.mjs";

/**
 * N middleware files (plus barrels and the mixin file):
 *   src/framework/mixin.ts      re-exports MiddlewareMixin from an outside package
 *   src/framework/index.ts      barrel: `export * from "./mixin.js"`
 *   src/core/gK/baseJ.ts        10%: bases extending the mixin (sync, async, view-only, declared false)
 *   src/core/gK/index.ts        barrel re-exporting the bases of a folder
 *   src/features/fF/mwI.ts      60%: subclasses of a base (through the barrel with an alias, or
 *                               directly), default or named exports
 *   src/apps/aA/leafI.ts        30%: subclasses of a feature, in another folder
 * Returns the outcome each class should get under the rules (README, What it decides), by class name.
 * `untyped`: hooks without return types, so that the type checker has to tell their nature
 * (the features' sync hooks then return a plain value rather than the base's result).
 */
export function generateMiddlewareTree(root, n, { untyped = false } = {}) {
  const nb = Math.max(10, Math.round(n * 0.1));
  const nf = Math.round(n * 0.6);
  const nl = n - nb - nf;
  const expected = new Map();
  const write = (rel, text) => {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    if (untyped)
      text = text
        .replace(/return super\.processRequest\?\.\(request\);/g, "return request.path.length > 2048 ? undefined : null;")
        .replace(/^(\s+(?:async )?process\w+\([^)]*\)): [^{\n]+ \{$/gm, "$1 {");
    writeFileSync(p, text);
  };
  write("src/framework/mixin.ts", `// The framework's base class.\nexport { MiddlewareMixin } from "@acme/web";\nexport type { Request, Response } from "@acme/web";\n`);
  write("src/framework/index.ts", `export * from "./mixin.js";\nexport const FRAMEWORK_VERSION = "4.2";\n`);
  write(
    "src/util/log.ts",
    `export function log(message: string, ...rest: unknown[]): void {\n  if (process.env.DEBUG) console.log(message, ...rest);\n}\n\nexport async function audit(event: string): Promise<void> {\n  await Promise.resolve(event);\n}\n`,
  );

  // Bases. Kinds: S sync hop hooks, A async hop hooks, V processView only, D declares false.
  const BASE_KINDS = ["S", "S", "S", "S", "S", "A", "A", "V", "V", "D"];
  const bases = [];
  const perFolder = 25;
  for (let j = 0; j < nb; j++) {
    const g = Math.floor(j / perFolder);
    const kind = BASE_KINDS[j % BASE_KINDS.length];
    const name = `Base${j}Middleware`;
    bases.push({ name, kind, folder: `src/core/g${g}`, file: `base${j}` });
    // A: async hooks straight on the mixin: the defensive declaration (the mixin's default may change).
    expected.set(name, { S: "set-async-capable-false", A: "set-async-capable-true", V: "unchanged", D: "unchanged" }[kind]);
    write(`src/core/g${g}/base${j}.ts`, baseFile(name, kind, j));
  }
  for (let g = 0; g * perFolder < nb; g++) {
    const here = bases.slice(g * perFolder, (g + 1) * perFolder);
    write(`src/core/g${g}/index.ts`, `// Barrel.\n${here.map((b) => `export { ${b.name} } from "./${b.file}.js";`).join("\n")}\n`);
  }

  // Features: P no hooks, Y sync processRequest, Z async hop hooks (only under S bases).
  const features = [];
  for (let i = 0; i < nf; i++) {
    const base = bases[i % nb];
    const f = Math.floor(i / 50);
    let kind = i % 2 === 0 ? "P" : "Y";
    if (base.kind === "S" && i % 7 === 0) kind = "Z";
    const name = `Feature${i}Middleware`;
    const viaBarrel = i % 3 !== 0;
    const isDefault = i % 2 === 0;
    features.push({ name, kind, base, folder: `src/features/f${f}`, file: `mw${i}`, isDefault });
    let outcome = "unchanged";
    if (base.kind === "S" && kind === "Z") outcome = "set-async-capable-true";
    if (base.kind === "A" && kind === "Y") outcome = "needs-review";
    if (base.kind === "V" && kind === "Y") outcome = "set-async-capable-false";
    expected.set(name, outcome);
    write(`src/features/f${f}/mw${i}.ts`, featureFile(name, kind, base, viaBarrel, isDefault, i));
  }

  // Leaves: P no hooks, Y sync processResponse (not under A-base or Z features, where it mixes).
  for (let i = 0; i < nl; i++) {
    const feat = features[(i * 7) % nf];
    const a = Math.floor(i / 50);
    let kind = i % 2 === 0 ? "P" : "Y";
    if (feat.base.kind === "A" || feat.kind === "Z") kind = "P";
    const name = `Leaf${i}Middleware`;
    let outcome = "unchanged";
    if (kind === "Y" && feat.base.kind === "V" && feat.kind === "P") outcome = "set-async-capable-false";
    if (feat.base.kind === "A" && feat.kind === "Y") outcome = "needs-review"; // inherits the mix
    expected.set(name, outcome);
    write(`src/apps/a${a}/leaf${i}.ts`, leafFile(name, kind, feat, a, i));
  }
  return { files: nb + nf + nl, expected };
}

function baseFile(name, kind, j) {
  const hooks = {
    S: `  processRequest(request: Request): Response | undefined {\n    log("request", request.path);\n    if (request.headers["x-block-${j}"]) return this.blocked(request);\n    return undefined;\n  }\n\n  processResponse(request: Request, response: Response): Response {\n    response.headers["x-base-${j}"] = "1";\n    return response;\n  }\n`,
    A: `  async processRequest(request: Request): Promise<Response | undefined> {\n    await audit("request ${j}");\n    return undefined;\n  }\n\n  async processResponse(request: Request, response: Response): Promise<Response> {\n    await audit("response ${j}");\n    return response;\n  }\n`,
    V: `  processView(request: Request, view: unknown): Response | undefined {\n    log("view", view);\n    return undefined;\n  }\n`,
    D: `  static asyncCapable = false;\n\n  processRequest(request: Request): Response | undefined {\n    log("request", request.path);\n    return undefined;\n  }\n`,
  }[kind];
  return `// Base middleware ${j}.
import { MiddlewareMixin, type Request, type Response } from "../../framework/index.js";
import { audit, log } from "../../util/log";

/** Shared behaviour for the middleware of area ${j}. */
export class ${name} extends MiddlewareMixin {
${hooks}
  protected blocked(request: Request): Response {
    return { status: 403, headers: {}, body: \`blocked: \${request.path}\` } as Response;
  }
}

export const ${name}Options = { area: ${j}, enabled: true };
`;
}

function featureFile(name, kind, base, viaBarrel, isDefault, i) {
  const imp = viaBarrel
    ? `import { ${base.name} as Parent } from "../../${base.folder.slice(4)}/index.js";`
    : `import { ${base.name} as Parent } from "../../${base.folder.slice(4)}/${base.file}";`;
  const hooks = {
    P: `  describe(): string {\n    return "feature ${i}";\n  }\n`,
    Y: `  processRequest(request: Request): Response | undefined {\n    log("feature ${i}", request.path);\n    return super.processRequest?.(request);\n  }\n`,
    Z: `  async processRequest(request: Request): Promise<Response | undefined> {\n    await audit("feature ${i}");\n    return undefined;\n  }\n\n  async processResponse(request: Request, response: Response): Promise<Response> {\n    await audit("feature ${i} response");\n    return response;\n  }\n`,
  }[kind];
  return `// Feature middleware ${i}.
${imp}
import type { Request, Response } from "../../framework/index.js";
import { audit, log } from "../../util/log.js";

${isDefault ? "export default class" : "export class"} ${name} extends Parent {
${hooks}}

export function make${name}(): ${name} {
  return new ${name}();
}
`;
}

function leafFile(name, kind, feat, a, i) {
  const from = `../../${feat.folder.slice(4)}/${feat.file}.js`;
  const imp = feat.isDefault ? `import Parent from "${from}";` : `import { ${feat.name} as Parent } from "${from}";`;
  const hooks = {
    P: `  label = "leaf ${i}";\n`,
    Y: `  processResponse(request: Request, response: Response): Response {\n    log("leaf ${i}");\n    return response;\n  }\n`,
  }[kind];
  return `// App ${a}, leaf ${i}.
${imp}
import type { Request, Response } from "../../framework/index.js";
import { log } from "../../util/log.js";

export class ${name} extends Parent {
${hooks}}
`;
}

const SOURCE = /\.(?:[cm]?[jt]sx?|py)$/;

/**
 * Copy the JS/TS source files of a node_modules folder (no other files) `copies` times into
 * root/copyK/, renaming `node_modules` path segments to `nm` so that the codemod enters them.
 * Returns the number of files copied.
 */
export function copyRealSources(from, root, copies = 1, limit = Infinity) {
  let count = 0;
  const list = [];
  const walk = (dir, rel) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
      if (list.length >= limit) return;
      const p = path.join(dir, e.name);
      const r = path.join(rel, e.name === "node_modules" ? "nm" : e.name === ".bin" ? "_bin" : e.name);
      if (e.isDirectory()) walk(p, r);
      else if (e.isFile() && SOURCE.test(e.name) && !e.name.endsWith(".py")) list.push([p, r]);
    }
  };
  walk(from, "");
  for (let k = 0; k < copies; k++)
    for (const [p, r] of list) {
      const dest = path.join(root, `copy${k}`, r);
      mkdirSync(path.dirname(dest), { recursive: true });
      cpSync(p, dest);
      count++;
    }
  return count;
}

export function countSourceFiles(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += countSourceFiles(p);
    else if (e.isFile() && SOURCE.test(e.name)) n++;
  }
  return n;
}

export const dirSize = (dir) => {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? dirSize(p) : statSync(p).size;
  }
  return n;
};

/**
 * A Django project of about `n` Python files: apps in the shape of real ones (models, views,
 * forms, admin, urls, migrations, tests; every fifth app has middleware), a settings module
 * whose MIDDLEWARE lists Django's and the apps' middleware. With `django` (a folder holding
 * Django's source), a copy of it is part of the tree and counts towards `n`.
 * Returns {files, middleware}: the Python files written and the middleware classes generated.
 */
export function generateDjangoProject(root, n, django = null) {
  let files = 0;
  const write = (rel, text) => {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    if (rel.endsWith(".py")) files++;
  };
  if (django) {
    cpSync(django, path.join(root, "django"), { recursive: true, filter: (src) => !src.includes("__pycache__") });
    files += countSourceFiles(path.join(root, "django"));
  }
  const appMiddleware = [];
  const apps = [];
  write("manage.py", `#!/usr/bin/env python\nimport os\nimport sys\n\n\ndef main():\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")\n    from django.core.management import execute_from_command_line\n\n    execute_from_command_line(sys.argv)\n\n\nif __name__ == "__main__":\n    main()\n`);
  write("site_config/__init__.py", "");
  write("site_config/wsgi.py", `import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")\napplication = get_wsgi_application()\n`);
  write("site_config/asgi.py", `import os\n\nfrom django.core.asgi import get_asgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")\napplication = get_asgi_application()\n`);
  for (let i = 0; files < n - 2; i++) {
    const app = `app${i}`;
    const Model = `Record${i}`;
    apps.push(app);
    write(`apps/${app}/__init__.py`, "");
    write(`apps/${app}/apps.py`, `from django.apps import AppConfig\n\n\nclass App${i}Config(AppConfig):\n    default_auto_field = "django.db.models.BigAutoField"\n    name = "apps.${app}"\n`);
    write(
      `apps/${app}/models.py`,
      `from django.conf import settings\nfrom django.db import models\n\n\nclass ${Model}(models.Model):\n    """A record of area ${i}."""\n\n    title = models.CharField(max_length=200)\n    created = models.DateTimeField(auto_now_add=True)\n    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="records_${i}")\n    active = models.BooleanField(default=True)\n\n    class Meta:\n        ordering = ["-created"]\n\n    def __str__(self):\n        return self.title\n\n\nclass ${Model}Note(models.Model):\n    record = models.ForeignKey(${Model}, on_delete=models.CASCADE, related_name="notes")\n    body = models.TextField(blank=True)\n`,
    );
    write(
      `apps/${app}/views.py`,
      `from django.contrib.auth.mixins import LoginRequiredMixin\nfrom django.http import JsonResponse\nfrom django.shortcuts import get_object_or_404\nfrom django.views.generic import DetailView, ListView\n\nfrom .models import ${Model}\n\n\nclass ${Model}ListView(LoginRequiredMixin, ListView):\n    model = ${Model}\n    paginate_by = 25\n\n    def get_queryset(self):\n        return super().get_queryset().filter(owner=self.request.user, active=True)\n\n\nclass ${Model}DetailView(LoginRequiredMixin, DetailView):\n    model = ${Model}\n\n\ndef ${app}_summary(request, pk):\n    record = get_object_or_404(${Model}, pk=pk)\n    return JsonResponse({"id": record.pk, "title": record.title, "notes": record.notes.count()})\n`,
    );
    write(`apps/${app}/urls.py`, `from django.urls import path\n\nfrom . import views\n\napp_name = "${app}"\nurlpatterns = [\n    path("", views.${Model}ListView.as_view(), name="list"),\n    path("<int:pk>/", views.${Model}DetailView.as_view(), name="detail"),\n    path("<int:pk>/summary/", views.${app}_summary, name="summary"),\n]\n`);
    write(`apps/${app}/admin.py`, `from django.contrib import admin\n\nfrom .models import ${Model}, ${Model}Note\n\n\nclass NoteInline(admin.TabularInline):\n    model = ${Model}Note\n    extra = 0\n\n\n@admin.register(${Model})\nclass ${Model}Admin(admin.ModelAdmin):\n    list_display = ("title", "owner", "created", "active")\n    list_filter = ("active",)\n    inlines = [NoteInline]\n`);
    write(`apps/${app}/forms.py`, `from django import forms\n\nfrom .models import ${Model}\n\n\nclass ${Model}Form(forms.ModelForm):\n    class Meta:\n        model = ${Model}\n        fields = ["title", "active"]\n\n    def clean_title(self):\n        title = self.cleaned_data["title"].strip()\n        if not title:\n            raise forms.ValidationError("A title is required.")\n        return title\n`);
    write(`apps/${app}/tests.py`, `from django.test import TestCase\n\nfrom .models import ${Model}\n\n\nclass ${Model}Tests(TestCase):\n    def test_str(self):\n        self.assertEqual(str(${Model}(title="x")), "x")\n`);
    write(`apps/${app}/migrations/__init__.py`, "");
    write(
      `apps/${app}/migrations/0001_initial.py`,
      `from django.conf import settings\nfrom django.db import migrations, models\nimport django.db.models.deletion\n\n\nclass Migration(migrations.Migration):\n    initial = True\n    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]\n\n    operations = [\n        migrations.CreateModel(\n            name="${Model}",\n            fields=[\n                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),\n                ("title", models.CharField(max_length=200)),\n                ("created", models.DateTimeField(auto_now_add=True)),\n                ("active", models.BooleanField(default=True)),\n                ("owner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="records_${i}", to=settings.AUTH_USER_MODEL)),\n            ],\n            options={"ordering": ["-created"]},\n        ),\n    ]\n`,
    );
    if (i % 5 === 0) {
      // Sync hop hooks (gets the declaration), view-only (left alone), and a subclass of the first.
      write(
        `apps/${app}/middleware.py`,
        `import time\n\nfrom django.utils.deprecation import MiddlewareMixin\n\n\nclass ${Model}TimingMiddleware(MiddlewareMixin):\n    def process_request(self, request):\n        request._started_${i} = time.monotonic()\n\n    def process_response(self, request, response):\n        started = getattr(request, "_started_${i}", None)\n        if started is not None:\n            response["X-Elapsed-${i}"] = f"{time.monotonic() - started:.3f}"\n        return response\n\n\nclass ${Model}ViewMiddleware(MiddlewareMixin):\n    def process_view(self, request, view_func, view_args, view_kwargs):\n        request.view_name_${i} = getattr(view_func, "__name__", "")\n\n\nclass ${Model}QuietTimingMiddleware(${Model}TimingMiddleware):\n    def process_response(self, request, response):\n        return response\n`,
      );
      appMiddleware.push(`apps.${app}.middleware.${Model}TimingMiddleware`, `apps.${app}.middleware.${Model}ViewMiddleware`);
    }
  }
  const middleware = [...DEFAULT_STACK, ...appMiddleware.slice(0, 6)];
  write(
    "site_config/settings.py",
    `from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\nSECRET_KEY = "bench"\nDEBUG = False\n\nINSTALLED_APPS = [\n    "django.contrib.admin",\n    "django.contrib.auth",\n    "django.contrib.contenttypes",\n    "django.contrib.sessions",\n    "django.contrib.messages",\n${apps.map((a) => `    "apps.${a}",\n`).join("")}]\n\nMIDDLEWARE = [\n${middleware.map((m) => `    "${m}",\n`).join("")}]\n\nROOT_URLCONF = "site_config.urls"\n`,
  );
  write("site_config/urls.py", `from django.urls import include, path\n\nurlpatterns = [\n${apps.map((a) => `    path("${a}/", include("apps.${a}.urls")),\n`).join("")}]\n`);
  return { files, middleware: (appMiddleware.length / 2) * 3 };
}

/**
 * Well-known npm packages, pinned, whose JS/TS files make a real tree of about 12,300 files
 * (their dependencies come along; the registry resolves those within the pinned packages' ranges).
 */
export const REAL_CORPUS_PACKAGES = ["rxjs@7.8.1", "date-fns@2.30.0", "lodash@4.17.21", "core-js@3.37.1", "typescript@5.4.5", "three@0.164.1", "moment@2.30.1", "@babel/core@7.24.7"];

/**
 * Install REAL_CORPUS_PACKAGES into `installDir` (`npm install --ignore-scripts`) unless it
 * already holds them, and copy their JS/TS files into `root` (node_modules renamed, so that
 * the codemod and jscodeshift enter them). Returns the number of files copied.
 */
export function buildRealCorpus(installDir, root) {
  const modules = path.join(installDir, "node_modules");
  if (!REAL_CORPUS_PACKAGES.every((p) => existsSync(path.join(modules, p.slice(0, p.lastIndexOf("@")), "package.json")))) {
    mkdirSync(installDir, { recursive: true });
    writeFileSync(path.join(installDir, "package.json"), JSON.stringify({ name: "mwc-bench-corpus", private: true }) + "\n");
    const r = spawnSync("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", "--no-save", ...REAL_CORPUS_PACKAGES], { cwd: installDir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (r.status !== 0) throw new Error(`npm install failed (exit ${r.status}): ${r.stderr.slice(0, 2000)}`);
  }
  return copyRealSources(modules, root, 1);
}
