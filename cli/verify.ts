// `--verify`: predicted vs measured switch counts per chain, from the project's own Django.
// Opt-in: measuring imports the project's settings and apps with its interpreter.
import type { SwitchCount } from "../transforms/lib/django/chain-model.ts";
import { defaultPython, sitePackagesFor, verifyChains, type ChainVerification } from "../transforms/lib/django/verify.ts";
import { djangoRelease } from "../transforms/lib/django/versions.ts";
import type { Colors } from "./color.ts";

const fig = (c: SwitchCount) => `${c.syncToAsync} sync_to_async + ${c.asyncToSync} async_to_sync`;

function lines(r: ChainVerification, target: string | null, c: Colors): string[] {
  const head = `${c.bold(`verify ${r.chain.setting} ${r.chain.file}:${r.chain.line}`)} (${r.module})`;
  if (r.error) return [`${head}: ${c.red("not measured")}: ${r.error}`];
  const { before, after } = r as { before: NonNullable<ChainVerification["before"]>; after: NonNullable<ChainVerification["after"]> };
  const out = [`${head}: Django ${before.django}, asgiref ${before.asgiref}, ${before.python}`];
  if (target && djangoRelease(before.django) !== djangoRelease(target))
    out.push(`  note: predicted for Django ${target} (the target), measured with Django ${before.django}; pass --target ${before.django.split(".").slice(0, 2).join(".")} to predict for the installed release`);
  const sw = r.chain.switches;
  for (const view of ["asyncView", "syncView"] as const) {
    const name = view === "asyncView" ? "async view" : "sync view";
    for (const state of ["before", "after"] as const) {
      const measured = (state === "before" ? before : after)[view];
      const predicted = sw ? sw[view][state] : null;
      const ok = predicted && predicted.syncToAsync === measured.syncToAsync && predicted.asyncToSync === measured.asyncToSync;
      const label = `  ${name}, ${state === "before" ? "before" : "after "} this run:`;
      out.push(`${label} predicted ${predicted ? fig(predicted) : "(chain not analysed)"}, measured ${fig(measured)}${predicted ? (ok ? "" : `  ${c.red("MISMATCH")}`) : ""}`);
    }
  }
  return out;
}

/**
 * Measure the chains and describe them. `failed` when a chain could not be measured or a
 * prediction differs from the measurement (exit 2).
 */
export function verifyRun(o: {
  cwd: string;
  chains: Parameters<typeof verifyChains>[0]["chains"];
  changed: Parameters<typeof verifyChains>[0]["changed"];
  python?: string;
  sitePackages?: string;
  target: string | null;
  colors: Colors;
}): { text: string; failed: boolean } {
  if (!o.chains.length) return { text: "verify: no MIDDLEWARE setting was found; nothing to measure\n", failed: false };
  const python = o.python ?? defaultPython(o.cwd);
  const results = verifyChains({ cwd: o.cwd, chains: o.chains, changed: o.changed, python, sitePackages: sitePackagesFor(o.cwd, o.sitePackages) });
  const text = results.flatMap((r) => lines(r, o.target, o.colors));
  const n = (f: (r: ChainVerification) => boolean) => results.filter(f).length;
  const differ = n((r) => r.mismatch === true);
  const unmeasured = n((r) => r.error !== null);
  const parts = [
    `${n((r) => r.mismatch === false)} of ${results.length} chain${results.length === 1 ? "" : "s"} measured as predicted`,
    differ && o.colors.red(`${differ} measured differently`),
    unmeasured && o.colors.red(`${unmeasured} not measured`),
    n((r) => r.mismatch === null && r.error === null) && `${n((r) => r.mismatch === null && r.error === null)} measured without a prediction`,
  ].filter(Boolean);
  text.push(`verify: ${parts.join(", ")}`);
  return { text: text.join("\n") + "\n", failed: differ + unmeasured > 0 };
}
