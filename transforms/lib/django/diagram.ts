// Drawings of a MIDDLEWARE chain before and after: a Mermaid flowchart for Markdown
// reports and a plain-text drawing for terminals. Each middleware is marked sync or
// async; each switch (an adapter between two layers, a per-hook hop inside
// MiddlewareMixin, a process_view adapter) is marked where it happens.
import { chainDetails, type Chain, type ChainDetails, type ChainState, type ChainStep, type SwitchCount } from "./chain-model.ts";

const S2A = "sync_to_async";
const A2S = "async_to_sync";

function adapterName(a: ChainStep["adaptInner"] | ChainState["adaptTop"]): string | null {
  return a === "syncToAsync" ? S2A : a === "asyncToSync" ? A2S : null;
}

function counts(c: SwitchCount): string {
  return `${c.syncToAsync} ${S2A} + ${c.asyncToSync} ${A2S}`;
}

/** What happens inside one middleware per request, in words. */
function inside(st: ChainStep): string[] {
  const out: string[] = [];
  if (st.hookHops) out.push(`${st.hopHooks.join(", ")}: ${S2A} each`);
  else if (st.body === "own") out.push("own dispatch");
  if (st.processView === "sync") out.push(`process_view: ${S2A}`);
  return out;
}

/** A Markdown Mermaid flowchart of the chain before and after (``` fenced). */
export function chainMermaid(chain: Chain, details: ChainDetails | null = chainDetails(chain)): string {
  const title = `${chain.file}:${chain.line} ${chain.setting}`;
  if (!details || !chain.switches)
    return `**${title}**: not drawn; ${chain.unresolved.length ? `could not read ${chain.unresolved.join(", ")}` : "the chain could not be counted"}.\n`;
  const lines = ["```mermaid", "flowchart TB"];
  const classes: Record<"sync" | "async", string[]> = { sync: [], async: [] };
  const part = (key: "b" | "a", label: string, s: ChainState) => {
    lines.push(`  subgraph ${key}["${label}: async view ${counts(s.counts.asyncView)}; sync view ${counts(s.counts.syncView)}"]`);
    lines.push("    direction TB");
    lines.push(`    ${key}_server(["ASGI server · async"])`);
    s.steps.forEach((st, i) => {
      const extra = inside(st);
      lines.push(`    ${key}_${i}["${st.name}<br/>${st.mode}${extra.length ? "<br/>" + extra.join("<br/>") : ""}"]`);
      classes[st.mode].push(`${key}_${i}`);
    });
    lines.push(`    ${key}_view(["_get_response_async · async<br/>async view: awaited<br/>sync view: ${S2A}"])`);
    classes.async.push(`${key}_server`, `${key}_view`);
    const edge = (from: string, to: string, a: string | null) => lines.push(a ? `    ${from} -- "${a}" --> ${to}` : `    ${from} --> ${to}`);
    const ids = [`${key}_server`, ...s.steps.map((_, i) => `${key}_${i}`), `${key}_view`];
    edge(ids[0], ids[1], adapterName(s.adaptTop));
    s.steps.forEach((st, i) => edge(ids[i + 1], ids[i + 2], adapterName(st.adaptInner)));
    lines.push("  end");
  };
  part("b", "before", details.before);
  part("a", "after", details.after);
  lines.push("  b ~~~ a");
  lines.push("  classDef sync fill:#fdebd0,stroke:#b9770e,color:#000");
  lines.push("  classDef async fill:#d6eaf8,stroke:#2471a3,color:#000");
  if (classes.sync.length) lines.push(`  class ${classes.sync.join(",")} sync`);
  if (classes.async.length) lines.push(`  class ${classes.async.join(",")} async`);
  lines.push("```");
  return `**${title}**\n\n${lines.join("\n")}\n`;
}

/** The switches inside one middleware, short. */
function insideShort(st: ChainStep): string[] {
  const out: string[] = [];
  if (st.hookHops) out.push(`${st.hookHops} hook hop${st.hookHops > 1 ? "s" : ""}`);
  else if (st.body === "own") out.push("own dispatch");
  if (st.processView === "sync") out.push("view hop");
  return out;
}

/** One column of the text drawing. */
function column(s: ChainState, heading: string): string[] {
  const width = Math.max(...s.steps.map((st) => st.name.length), 10);
  const rows = [heading, "ASGI server (async)"];
  const link = (a: string | null) => rows.push(a ? `  <> ${a}` : "  |");
  link(adapterName(s.adaptTop));
  for (const st of s.steps) {
    const extra = insideShort(st);
    rows.push(`${st.name.padEnd(width)}  ${st.mode.padEnd(5)}${extra.length ? "  " + extra.join("; ") : ""}`);
    link(adapterName(st.adaptInner));
  }
  rows.push("view (async: awaited; sync: sync_to_async)");
  rows.push(`async view: ${counts(s.counts.asyncView)}`);
  rows.push(`sync view:  ${counts(s.counts.syncView)}`);
  return rows;
}

/** A plain-text drawing of the chain, before and after side by side. */
export function chainText(chain: Chain, details: ChainDetails | null = chainDetails(chain)): string {
  const title = `${chain.file}:${chain.line} ${chain.setting}`;
  if (!details || !chain.switches)
    return `${title}: not drawn; ${chain.unresolved.length ? `could not read ${chain.unresolved.join(", ")}` : "the chain could not be counted"}\n`;
  const left = column(details.before, "before");
  const right = column(details.after, "after");
  const width = Math.max(...left.map((l) => l.length)) + 4;
  const out = [title];
  for (let i = 0; i < Math.max(left.length, right.length); i++) out.push(`  ${(left[i] ?? "").padEnd(width)}${right[i] ?? ""}`.trimEnd());
  out.push(
    `  <> ${S2A} / ${A2S}: an adapter between two layers, one call per request;`,
    `  hook hop: ${S2A} around process_request or process_response in MiddlewareMixin.__acall__;`,
    `  view hop: ${S2A} around a sync process_view.`,
  );
  return out.join("\n") + "\n";
}
