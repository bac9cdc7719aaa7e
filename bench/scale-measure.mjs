// Timing and peak memory of a child process, for bench/scale.mjs and bench/robustness.mjs.
// Wall time is measured here (hrtime); peak resident memory comes from GNU time's %M
// (Debian package `time`), which reports the largest of the process and the children it
// waited for. Without /usr/bin/time (or with MWC_NO_GNU_TIME=1), a preloaded module records
// the process's own maxRSS and CPU time is not shown.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const GNU_TIME = process.env.MWC_NO_GNU_TIME ? "/nonexistent" : "/usr/bin/time";
const scratch = mkdtempSync(path.join(tmpdir(), "mwc-measure-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
const rssPreload = path.join(scratch, "rss.cjs");
writeFileSync(rssPreload, `process.on("exit", () => require("node:fs").writeFileSync(process.env.MWC_RSS_OUT, String(process.resourceUsage().maxRSS)));\n`);

export const peakMemorySource = existsSync(GNU_TIME) ? "GNU time %M (process and waited-for children)" : "process.resourceUsage().maxRSS (main process only; install Debian's `time` for children)";

/**
 * Run `cmd args` in cwd; returns {wall (s), rssMB, status, stdout, stderr}.
 * `cmd` may be process.execPath (node) or any executable. `cpu`: user + system seconds of the
 * process and its waited-for children (GNU time only), less sensitive to a busy machine.
 */
export function measure(cmd, args, { cwd, env = {}, input } = {}) {
  const out = path.join(scratch, `m-${process.hrtime.bigint()}`);
  let file = cmd;
  let argv = args;
  const fullEnv = { ...process.env, NO_COLOR: "1", ...env };
  if (existsSync(GNU_TIME)) {
    file = GNU_TIME;
    argv = ["-f", "%M %U %S", "-o", out, cmd, ...args];
  } else {
    fullEnv.MWC_RSS_OUT = out;
    fullEnv.NODE_OPTIONS = `${fullEnv.NODE_OPTIONS ?? ""} --require ${rssPreload}`;
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, argv, { cwd, env: fullEnv, encoding: "utf8", maxBuffer: 1 << 30, input });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  let rssKB = NaN;
  let cpu = NaN;
  try {
    const [m, u, s] = readFileSync(out, "utf8").trim().split("\n").pop().split(" ").map(Number);
    rssKB = m;
    if (u !== undefined) cpu = u + s;
  } catch {
    // no figure
  }
  rmSync(out, { force: true });
  return { wall, cpu, rssMB: rssKB / 1024, status: r.status, signal: r.signal, stdout: r.stdout ?? "", stderr: r.stderr ?? "", error: r.error };
}

/** The median run of `times` (by wall time); each run's figures are kept in `runs`. */
export function measureMedian(times, cmd, args, options) {
  const runs = Array.from({ length: times }, () => measure(cmd, args, options));
  const sorted = [...runs].sort((a, b) => a.wall - b.wall);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], runs };
}

export const fmtS = (s) => (Number.isFinite(s) ? `${s.toFixed(s < 10 ? 2 : 1)} s` : "n/a");
export const fmtMB = (mb) => (Number.isFinite(mb) ? `${Math.round(mb)} MB` : "n/a");

/** A stack trace on stderr: lines like "    at fn (file:line:col)". */
export const hasStackTrace = (stderr) => /^\s+at .+(\(|:\d+:\d+)/m.test(stderr) || /^(TypeError|RangeError|Error|ReferenceError|SyntaxError)\b.*\n\s+at /m.test(stderr);

/**
 * Commands measured in turn, `times` rounds (a b c a b c …), so that a change in the machine's
 * load falls on all of them alike. For each: the median wall time and the median CPU time
 * (each over its own runs), the largest peak memory, and every run.
 */
export function measureAlternating(times, commands) {
  const runs = commands.map(() => []);
  for (let i = 0; i < times; i++) commands.forEach((c, k) => runs[k].push(measure(c.cmd, c.args, c.options ?? {})));
  const median = (xs) => {
    const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
    return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
  };
  return runs.map((rs) => {
    const byWall = [...rs].sort((a, b) => a.wall - b.wall);
    return { ...byWall[Math.floor((rs.length - 1) / 2)], wall: median(rs.map((r) => r.wall)), cpu: median(rs.map((r) => r.cpu)), rssMB: Math.max(...rs.map((r) => r.rssMB)), runs: rs };
  });
}
