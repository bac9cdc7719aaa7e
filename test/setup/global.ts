// vitest global setup: provisions the real parts once, before any test file runs, and names
// them for the test processes (test/setup/parts.ts). A part that cannot be provisioned fails
// the run with provision.mjs's message. Where every MWC_* variable is set already (parts
// installed by other means, on a system without apt-get), those are used as they are.
// @ts-expect-error: a plain ES module without types
import { partsEnv, provision } from "./provision.mjs";
import { PART_VARIABLES } from "./parts.ts";

export default function setup(): void {
  if (PART_VARIABLES.every((n) => process.env[n])) return;
  Object.assign(process.env, partsEnv(provision()));
}
