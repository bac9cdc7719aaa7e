#!/usr/bin/env node
// The type checker at scale: prints figures, asserts nothing. Run after `npm run build`:
//   node bench/scale-checker.mjs
//   SIZES=1000,4000 REPEAT=3 node bench/scale-checker.mjs
// Generated TS trees (bench/scale-tree.mjs) whose sync hooks have no return type, so that the
// checker decides them; for each size: wall, CPU time (user + system, the steadier figure on a
// shared machine), peak memory, and the checker's own share (MWC_TIMING=1). Goals: CPU time
// linear in the files (64k ≤ 5x the 16k figure), ≤ 1.5 GB at 64k, 1k files under 2 s.
// The 1k tree is also run with return types (the checker still runs for the imported type
// names), for the checker's cost on the usual benchmark tree.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateMiddlewareTree } from "./scale-tree.mjs";
import { fmtMB, fmtS, measure, peakMemorySource } from "./scale-measure.mjs";

const REPO = path.resolve(import.meta.dirname, "..");
const CLI = path.join(REPO, "dist/cli/main.js");
const SIZES = (process.env.SIZES ?? "1000,4000,16000,32000,64000").split(",").map(Number);
const REPEAT = Number(process.env.REPEAT ?? 3);
const node = process.execPath;

if (!existsSync(CLI)) {
  console.error(`${path.relative(process.cwd(), CLI)} is missing: run \`npm run build\` first.`);
  process.exit(2);
}
const tmp = mkdtempSync(path.join(os.tmpdir(), "mwc-checker-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(130));

/** The median run by CPU time (the steadier figure when other processes share the cores). */
function run(dir, times = REPEAT) {
  const runs = [];
  for (let i = 0; i < times; i++) runs.push(measure(node, [CLI, "--dry-run", "--json"], { cwd: dir, env: { MWC_TIMING: "1" } }));
  runs.sort((a, b) => a.cpu - b.cpu || a.wall - b.wall);
  const r = runs[Math.floor((runs.length - 1) / 2)];
  const m = /checker: (\d+) functions, (\d+) files in the program, (\d+) ms wall, (\d+) ms cpu/.exec(r.stderr);
  let summary = null;
  try {
    summary = JSON.parse(r.stdout).summary;
  } catch {
    console.log(`  !! no JSON result (exit ${r.status}); stderr: ${r.stderr.slice(0, 800)}`);
  }
  return { ...r, checker: m ? { functions: +m[1], files: +m[2], wall: +m[3] / 1000, cpu: +m[4] / 1000 } : null, summary, all: runs };
}

const cpu = os.cpus();
console.log(`# The type checker at scale`);
console.log(`machine: ${cpu.length} cores (${cpu[0]?.model ?? "?"}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}, Node ${process.version}`);
console.log(`peak memory: ${peakMemorySource}; median of ${REPEAT} runs by CPU time up to 4k files, one run above\n`);
console.log(`files   wall      cpu       peak memory  checker: functions  files  cpu      result`);
const rows = [];
for (const n of SIZES) {
  const dir = path.join(tmp, `u${n}`);
  generateMiddlewareTree(dir, n, { untyped: true });
  const r = run(dir, n <= 4000 ? REPEAT : 1);
  rows.push({ n, ...r });
  const c = r.checker;
  const s = r.summary;
  console.log(
    `${String(n).padEnd(7)} ${fmtS(r.wall).padEnd(9)} ${fmtS(r.cpu).padEnd(9)} ${fmtMB(r.rssMB).padEnd(12)} ${String(c?.functions ?? "-").padStart(18)}  ${String(c?.files ?? "-").padEnd(6)} ${fmtS(c?.cpu).padEnd(8)} ${s ? `false ${s.setFalse}, true ${s.setTrue}, review ${s.needsReview}, unchanged ${s.unchanged}, errors ${s.errors}` : "no result"}`,
  );
  rmSync(dir, { recursive: true, force: true });
}
const at = (n) => rows.find((r) => r.n === n);
const verdict = (ok) => (ok ? "MET" : "NOT MET");
if (at(16000) && at(64000)) {
  const ratio = at(64000).cpu / at(16000).cpu;
  console.log(`\n64k / 16k CPU time: ${ratio.toFixed(2)}x (goal ≤ 5x; 4x is linear): ${verdict(ratio <= 5)}`);
  console.log(`64k peak memory: ${fmtMB(at(64000).rssMB)} (goal ≤ 1.5 GB): ${verdict(at(64000).rssMB <= 1536)}`);
}
if (rows.length > 1) {
  const per = rows.map((r) => `${r.n / 1000}k ${((r.cpu / r.n) * 1000).toFixed(2)} s`);
  console.log(`CPU time per 1k files: ${per.join(", ")}`);
}
if (at(1000)) console.log(`1k files: ${fmtS(at(1000).wall)} wall, ${fmtS(at(1000).cpu)} CPU (goal < 2 s): ${verdict(at(1000).wall < 2)}${at(1000).wall >= 2 && at(1000).cpu < 2 ? " (CPU time under 2 s: the machine is busy)" : ""}`);

// The checker's cost on the usual 1k benchmark tree (hooks with return types).
const typed = path.join(tmp, "t1000");
generateMiddlewareTree(typed, 1000);
const t = run(typed);
const share = t.checker ? `${fmtS(t.checker.cpu)} CPU of ${fmtS(t.cpu)} (${((100 * t.checker.cpu) / t.cpu).toFixed(0)}%), ${t.checker.functions} functions, ${t.checker.files} files in its program` : "did not run";
console.log(`checker on the 1k tree with return types: ${share}; whole run ${fmtS(t.wall)} wall, ${fmtMB(t.rssMB)}`);
const u = at(1000);
if (u?.checker) console.log(`checker on the 1k tree without return types: ${fmtS(u.checker.cpu)} CPU of ${fmtS(u.cpu)} (${((100 * u.checker.cpu) / u.cpu).toFixed(0)}%)`);
