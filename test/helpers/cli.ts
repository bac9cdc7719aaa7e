// The one harness of the end-to-end tests: a temporary tree (optionally a git repository
// with one commit), the built CLI run as a subprocess (async, or sync where a test must block),
// git in such a tree, and a tree read back as path → content.
import { execFileSync, spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = path.join(ROOT, "dist/cli/main.js");

export function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
}

/** A file's content, or a symbolic link, a FIFO or an empty folder. */
export type Entry = string | Buffer | { symlink: string } | { fifo: true } | { dir: true };
export type Tree = Record<string, Entry>;

const GIT_ENV = { GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" };

/** git in `cwd`, as a fixed author; a global excludes file of the machine cannot hide a test's files. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "core.excludesFile=/dev/null", ...args], { cwd, encoding: "utf8", env: { ...process.env, ...GIT_ENV }, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 << 20 });
}

/** Stages and commits everything; objects are stored uncompressed (a third of the time for a large tree). */
export function commitAll(cwd: string, message: string): void {
  git(cwd, "-c", "core.looseCompression=0", "add", "-A");
  git(cwd, "commit", "-q", "--allow-empty", "-m", message);
}

export function writeTree(dir: string, tree: Tree): void {
  for (const [name, entry] of Object.entries(tree)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    if (typeof entry === "string" || Buffer.isBuffer(entry)) writeFileSync(file, entry);
    else if ("symlink" in entry) symlinkSync(entry.symlink, file);
    else if ("dir" in entry) mkdirSync(file, { recursive: true });
    else execFileSync("mkfifo", [file]);
  }
}

export interface TreeOptions {
  /**
   * A folder copied first (without compiled Python caches), or several: where each goes in
   * the tree → the folder. `tree` is written over them.
   */
  from?: string | Record<string, string>;
  /** Which of the copied files and folders to keep, by their path relative to their folder (default: all). */
  filter?: (relative: string) => boolean;
  /** A git repository with everything committed (default); FIFOs stay untracked, as git cannot track them. */
  git?: boolean;
  /** The temporary folder's name prefix. */
  prefix?: string;
}

/** A fresh temporary folder holding `from` and `tree`; by default a repository with one commit. */
export function makeTree(tree: Tree = {}, options: TreeOptions = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), options.prefix ?? "mwc-"));
  const { from = {}, filter = () => true } = options;
  for (const [at, folder] of Object.entries(typeof from === "string" ? { "": from } : from))
    cpSync(folder, path.join(dir, at), { recursive: true, filter: (src) => path.basename(src) !== "__pycache__" && (src === folder || filter(path.relative(folder, src))) });
  writeTree(dir, tree);
  if (options.git ?? true) {
    git(dir, "init", "-q", "-b", "main");
    commitAll(dir, "fixture");
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

export interface CliOptions {
  cwd: string;
  /** Added to the test's environment; undefined removes a variable. */
  env?: Record<string, string | undefined>;
  /** stdin (default: empty). */
  input?: string;
  /** Milliseconds before the CLI is killed (default: none). */
  timeout?: number;
}

/**
 * What a run of the CLI gave. Only code, stdout and stderr are enumerable, so that a test can
 * compare the whole result with `toEqual({ code, stdout, stderr })`.
 */
export interface CliResult {
  /** The exit status; null when a signal ended the CLI. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout as written: a dry-run diff of a file in a PEP 263 encoding carries that file's bytes. */
  readonly stdoutBytes: Buffer;
  readonly signal: NodeJS.Signals | null;
  /** The CLI could not be started, or ran past `timeout`. */
  readonly error?: Error;
}

/** The environment of a run: the test's own without colour settings, then `env`. */
function cliEnv(env: CliOptions["env"]): NodeJS.ProcessEnv {
  const out: Record<string, string | undefined> = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, ...env };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as NodeJS.ProcessEnv;
}

function result(code: number | null, signal: NodeJS.Signals | null, stdout: Buffer, stderr: Buffer, error?: Error): CliResult {
  const r = { code, stdout: stdout.toString("utf8"), stderr: stderr.toString("utf8") };
  Object.defineProperties(r, { stdoutBytes: { value: stdout }, signal: { value: signal }, error: { value: error } });
  return r as CliResult;
}

/** The built CLI without a terminal (pipes). */
export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  requireBuild();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: cliEnv(options.env), timeout: options.timeout });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let error: Error | undefined;
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => (error = e));
    child.on("close", (code, signal) => {
      if (!error && signal && options.timeout && child.killed) error = new Error(`timed out after ${options.timeout} ms`);
      resolve(result(code, signal, Buffer.concat(out), Buffer.concat(err), error));
    });
    child.stdin.on("error", () => {}); // a CLI that does not read stdin may close it first
    child.stdin.end(options.input ?? "");
  });
}

/** runCli, blocking: for tests whose steps must not interleave with anything else of the process. */
export function runCliSync(args: string[], options: CliOptions): CliResult {
  requireBuild();
  const r: SpawnSyncReturns<Buffer> = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd, env: cliEnv(options.env), input: options.input ?? "", timeout: options.timeout, maxBuffer: 256 << 20 });
  return result(r.status, r.signal, r.stdout ?? Buffer.alloc(0), r.stderr ?? Buffer.alloc(0), r.error);
}

/** The fixture for every mode: one class per outcome (two sync-only ones, in separate files). */
export const FIXTURE: Record<string, string> = {
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
export const FIXTURE_AFTER: Record<string, string> = {
  ...FIXTURE,
  "src/session.ts": FIXTURE["src/session.ts"].replace("MiddlewareMixin {\n", "MiddlewareMixin {\n  static asyncCapable = false;\n"),
  "src/security.ts": FIXTURE["src/security.ts"].replace("MiddlewareMixin {\n", "MiddlewareMixin {\n  static asyncCapable = false;\n"),
  "src/streaming.ts": FIXTURE["src/streaming.ts"].replace("SessionMiddleware {\n", "SessionMiddleware {\n  static asyncCapable = true;\n"),
};

/** A whole tree of file contents as text records (what readTree returns for a written tree). */
export function asText(tree: Record<string, string | Buffer>): Record<string, string> {
  return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, String(v)]).sort(([a], [b]) => (a < b ? -1 : 1)));
}
