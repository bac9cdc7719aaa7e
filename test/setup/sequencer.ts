// The order the test files start in. Two run at a time, each worker taking the next file as
// it finishes one: the longest files go first, so that the run does not end on a long file
// alone on one core while the other idles. vitest's own order, without a results cache (a
// fresh clone), is by file size, which puts the longest files late. The costs are seconds of
// one run on two idle cores; files not listed take under a second (a new long file belongs here).
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const SECONDS: Record<string, number> = {
  "fixtures.test.ts": 63,
  "chains-django.test.ts": 38,
  "robustness.test.ts": 32,
  "cli-package.test.ts": 29,
  "django-migration.test.ts": 28,
  "jscodeshift-cache.test.ts": 20,
  "real-trees.test.ts": 18,
  "cli-verify.test.ts": 17,
  "cli-dry-run.test.ts": 14,
  "cli-workflow.test.ts": 12,
  "cli-interactive.test.ts": 10,
  "cli-args.test.ts": 10,
  "cli-run.test.ts": 8,
  "cli-action.test.ts": 6,
  "python-frontend.test.ts": 4,
  "typescript-frontend.test.ts": 3,
  "cli-report.test.ts": 2,
  "django-async-path.test.ts": 1,
};

const cost = (spec: TestSpecification) => SECONDS[path.relative(path.join(spec.project.config.root, "test"), spec.moduleId).split(path.sep).join("/")] ?? 0;

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => cost(b) - cost(a) || (a.moduleId < b.moduleId ? -1 : 1));
  }
}
