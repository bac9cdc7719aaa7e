import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Most of the suite waits on the CLI and Python subprocesses it starts: two test files at
    // a time keep both cores busy (vitest's default on two cores is one).
    maxWorkers: 2,
    globalSetup: ["test/setup/global.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
