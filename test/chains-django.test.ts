// The chain analysis against real Django 3.2, 4.2 and 5.2 (Debian's packages, provisioned by
// test/setup/provision.mjs): real Django counts the switches of one request through
// BaseHandler.get_response_async (the package's transforms/lib/django/verify.py, as --verify runs it); the built CLI's predictions with
// `--target <release>` must be equal — before, after its edits, and after --backport. Each
// project is kept at every step (a copy per step), so that one Python process per release
// measures them all. A missing Django or Python is a failure, not a skip.
import { beforeAll, describe, expect, it } from "vitest";
import { DJANGO_VERSIONS, type DjangoVersion } from "./setup/parts.ts";
import { after, before, codemod, commitAll, counts, DEFAULT_STACK, djangoProject, git, measureAll, THIRD_PARTY, type CliJson, type Counts } from "./django/project.ts";
import { makeTree, requireBuild } from "./helpers/cli.ts";

const c = (s2a: number, a2s: number, s2aSync = s2a + 1) => ({ asyncView: { syncToAsync: s2a, asyncToSync: a2s }, syncView: { syncToAsync: s2aSync, asyncToSync: a2s } });

beforeAll(requireBuild);

interface Case {
  name: string;
  middleware: string[] | null;
  extra?: Record<string, string>;
  /** Real Django's counts: before, after the codemod, after --backport (the same in 3.2, 4.2 and 5.2). */
  measured: Counts[];
}

const middle = [...DEFAULT_STACK];
middle.splice(3, 0, "mysite.middleware.TimingMiddleware");

const CASES: Case[] = [
  { name: "default startproject stack: 13 before, 2 + 1 after --backport", middleware: null, measured: [c(13, 0), c(13, 0), c(2, 1)] },
  { name: "custom sync middleware last: 14 → 2 + 1 (the README's figures)", middleware: [...DEFAULT_STACK, "mysite.middleware.TimingMiddleware"], measured: [c(14, 0), c(2, 1), c(2, 1)] },
  { name: "custom sync middleware first: 14 + 0 → 14 + 1, and --backport repairs it", middleware: ["mysite.middleware.TimingMiddleware", ...DEFAULT_STACK], measured: [c(14, 0), c(14, 1), c(2, 1)] },
  { name: "custom sync middleware in the middle", middleware: middle, measured: [c(14, 0), c(8, 1), c(2, 1)] },
  {
    name: "a process_view-only class and an own-dispatch async class",
    middleware: [
      "mysite.middleware.AsyncOwnMiddleware",
      ...DEFAULT_STACK.slice(0, 3),
      "mysite.middleware.ViewOnlyMiddleware",
      ...DEFAULT_STACK.slice(3, 6),
      "mysite.middleware.AsyncOwnMiddleware",
      DEFAULT_STACK[6],
    ],
    measured: [c(14, 0), c(14, 0), c(4, 1)],
  },
  { name: "a third-party package in the project's virtualenv", middleware: [...DEFAULT_STACK, "thirdparty_mw.middleware.HeaderMiddleware"], extra: THIRD_PARTY, measured: [c(15, 0), c(15, 0), c(2, 1)] },
];

type Run = ReturnType<typeof codemod>;
interface Staged {
  dirs: string[]; // the project before, after the codemod, after --backport
  runs: Run[]; // the codemod, --backport, --backport again
  status: string; // git status after the last run
}

/** The project at each step: a copy, then the CLI (applying its edits), then a commit. */
function stage(k: Case, version: DjangoVersion): Staged {
  const d0 = djangoProject(k.middleware, k.extra ?? {}, version);
  const step = (from: string, args: string[]) => {
    const dir = makeTree({}, { from, git: false, prefix: "mwc-django-step-" });
    const run = codemod(dir, args, version);
    commitAll(dir, args.join(" ") || "codemod");
    return { dir, run };
  };
  const s1 = step(d0, []);
  const s2 = step(s1.dir, ["--backport"]);
  const run3 = codemod(s2.dir, ["--backport"], version);
  return { dirs: [d0, s1.dir, s2.dir], runs: [s1.run, s2.run, run3], status: git(s2.dir, "status", "--porcelain") };
}

const chain = (run: Run): CliJson["chains"][0] => {
  expect(run.json.errors).toEqual([]);
  expect(run.json.chains).toHaveLength(1);
  return run.json.chains[0];
};

describe.each(DJANGO_VERSIONS)("predicted switch counts equal real Django %s's", (version) => {
  const staged: Staged[] = [];
  let measured: Counts[][] = [];
  let asgi: Counts;
  let django: string;

  beforeAll(() => {
    for (const k of CASES) staged.push(stage(k, version));
    const jobs = staged.flatMap((s) => s.dirs.map((project) => ({ project })));
    // The whole ASGIHandler call on the default stack after --backport (see the first case).
    const all = measureAll(version, [...jobs, { project: staged[0].dirs[2], through: "asgi" }]);
    django = all[0].django;
    asgi = counts(all.pop()!);
    measured = staged.map((_, i) => all.slice(3 * i, 3 * i + 3).map(counts));
  }, 300_000);

  it.each(CASES.map((k, i) => [k.name, i] as const))("%s", (_name, i) => {
    const k = CASES[i];
    const { runs, status } = staged[i];
    const [m0, m1, m2] = measured[i];
    expect(django.startsWith(`${version}.`)).toBe(true);
    // Predicted (the CLI) = measured (real Django), at each step.
    const ch1 = chain(runs[0]);
    expect(ch1.unresolved).toEqual([]);
    expect({ before: before(ch1.switches!), after: after(ch1.switches!) }).toEqual({ before: m0, after: m1 });
    const ch2 = chain(runs[1]);
    expect({ before: before(ch2.switches!), after: after(ch2.switches!) }).toEqual({ before: m1, after: m2 });
    // --backport a second time: nothing to change, the chain stays as measured.
    expect(runs[2].json.summary.filesChanged).toBe(0);
    expect(status).toBe("");
    expect({ before: before(runs[2].json.chains[0].switches!), after: after(runs[2].json.chains[0].switches!) }).toEqual({ before: m2, after: m2 });
    expect([m0, m1, m2]).toEqual(k.measured);

    if (i === 0) {
      expect(ch1.middleware).toEqual(DEFAULT_STACK);
      // The whole ASGIHandler call adds Django's own two (request_started, response.close),
      // which the chain's counts (get_response_async, docs/chain-model.md) leave out.
      expect(asgi).toEqual(c(4, 1));
    }
    if (k.name.startsWith("custom sync middleware last"))
      expect(runs[0].json.middleware.find((m) => m.class === "TimingMiddleware")!.outcome).toBe("set-async-capable-false");
    if (k.name.startsWith("custom sync middleware first"))
      expect(ch1.notes[0]).toMatch(/^This run's edits make this chain worse: .* What would help: --backport would make it 2 sync_to_async \+ 1 async_to_sync/);
    if (k.extra) expect(ch2.middleware).toContain("thirdparty_mw.middleware.HeaderMiddleware");
  });
});
