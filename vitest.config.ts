import { defineConfig } from "vitest/config";
import LongestFirst from "./test/setup/sequencer.ts";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Most of the suite waits on the CLI and Python subprocesses it starts: two test files at
    // a time keep both cores busy (vitest's default on two cores is one).
    maxWorkers: 2,
    globalSetup: ["test/setup/global.ts"],
    sequence: { sequencer: LongestFirst },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
