// vitest global setup: provisions the real parts once, before any test file runs, and names
// them for the test processes (test/setup/parts.ts). A part that cannot be provisioned fails
// the run with provision.mjs's message.
// @ts-expect-error: a plain ES module without types
import { partsEnv, provision } from "./provision.mjs";

export default function setup(): void {
  Object.assign(process.env, partsEnv(provision()));
}
