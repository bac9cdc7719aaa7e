// End-to-end helpers: a temporary tree (optionally a git repository with one commit), the
// built CLI run as a subprocess, and the tree read back as path → content.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = path.join(ROOT, "dist/cli/main.js");

export function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
}

export type Tree = Record<string, string | Buffer>;

const GIT_ENV = { GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" };

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...GIT_ENV }, stdio: ["ignore", "pipe", "pipe"] });
}

export function writeTree(dir: string, tree: Tree): void {
  for (const [name, content] of Object.entries(tree)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** A fresh temporary folder holding `tree`; with `git`, a repository with it committed. */
export function makeTree(tree: Tree, options: { git?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mwc-"));
  writeTree(dir, tree);
  if (options.git ?? true) {
    git(dir, "init", "-q", "-b", "main");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "--allow-empty", "-m", "fixture");
  }
  return dir;
}

/** Every file under dir except .git, as text (or base64 for non-UTF-8 content). */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name === ".git") continue;
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const bytes = readFileSync(p);
        let text: string;
        try {
          text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
        } catch {
          text = `base64:${bytes.toString("base64")}`;
        }
        out[path.relative(dir, p).split(path.sep).join("/")] = text;
      }
    }
  };
  walk(dir);
  return out;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built CLI without a terminal (pipes), with a clean colour environment. */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined>; input?: string }): Promise<RunResult> {
  requireBuild();
  const env: Record<string, string | undefined> = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, ...options.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { cwd: options.cwd, env: env as NodeJS.ProcessEnv, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(options.input ?? "");
  });
}

/** The fixture for every mode: one class per outcome (two sync-only ones, in separate files). */
export const FIXTURE: Tree = {
  "src/mixin.ts": `export class MiddlewareMixin {
  static syncCapable = true;
  static asyncCapable = true;
  constructor(protected getResponse: (request: unknown) => unknown) {}
}
`,
  "src/session.ts": `import { MiddlewareMixin } from "./mixin.ts";

export class SessionMiddleware extends MiddlewareMixin {
  processRequest(request: { session?: unknown }) {
    request.session = {};
  }

  processResponse(request: unknown, response: unknown) {
    return response;
  }
}
`,
  "src/security.ts": `import { MiddlewareMixin } from "./mixin.ts";

export class SecurityMiddleware extends MiddlewareMixin {
  processResponse(request: unknown, response: unknown) {
    return response;
  }
}
`,
  "src/audit.ts": `import { MiddlewareMixin } from "./mixin.ts";

export class AuditMiddleware extends MiddlewareMixin {
  static asyncCapable = true;

  processRequest(request: unknown) {
    console.log(request);
  }
}
`,
  "src/streaming.ts": `import { SessionMiddleware } from "./session.ts";

export class StreamingSessionMiddleware extends SessionMiddleware {
  async processRequest(request: unknown) {
    await Promise.resolve(request);
  }

  async processResponse(request: unknown, response: unknown) {
    return response;
  }
}
`,
  "src/view.ts": `import { MiddlewareMixin } from "./mixin.ts";

export class ViewMiddleware extends MiddlewareMixin {
  processView(request: unknown) {
    return null;
  }
}
`,
  "src/util.ts": `export const answer = 42;
`,
};

/** FIXTURE after a real run: one declaration in each of three classes, nothing else. */
export const FIXTURE_AFTER: Tree = {
  ...FIXTURE,
  "src/session.ts": String(FIXTURE["src/session.ts"]).replace("MiddlewareMixin {\n", "MiddlewareMixin {\n  static asyncCapable = false;\n"),
  "src/security.ts": String(FIXTURE["src/security.ts"]).replace("MiddlewareMixin {\n", "MiddlewareMixin {\n  static asyncCapable = false;\n"),
  "src/streaming.ts": String(FIXTURE["src/streaming.ts"]).replace("SessionMiddleware {\n", "SessionMiddleware {\n  static asyncCapable = true;\n"),
};

/** A whole tree as text records (what readTree returns for a written tree). */
export function asText(tree: Tree): Record<string, string> {
  return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, String(v)]).sort(([a], [b]) => (a < b ? -1 : 1)));
}
