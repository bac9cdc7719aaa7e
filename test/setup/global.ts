// vitest global setup: provisions the real parts once, before any test file runs, and names
// them for the test processes (test/setup/parts.ts). A part that cannot be provisioned fails
// the run with provision.mjs's message. Where every MWC_* part variable is set already (parts
// installed by other means, on a system without apt-get), those are used as they are. It also
// names a folder for what the test files share during the run (MWC_STARTPROJECTS).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
// @ts-expect-error: a plain ES module without types
import { partsEnv, provision } from "./provision.mjs";
import { PART_VARIABLES } from "./parts.ts";

export default function setup(): () => void {
  if (!PART_VARIABLES.every((n) => process.env[n])) Object.assign(process.env, partsEnv(provision()));
  // The Django test files share one startproject per release (test/django/project.ts).
  const startprojects = mkdtempSync(path.join(tmpdir(), "mwc-startprojects-"));
  process.env.MWC_STARTPROJECTS = startprojects;
  return () => rmSync(startprojects, { recursive: true, force: true });
}
