// `-i`: review each proposed edit, and each needs-review item that has an action, before
// anything is written, one keypress per item (y/n/a/q, ? for the rule's explanation), as
// ast-grep's -i. The caller writes what this returns; Ctrl-C throws Cancelled.
// Skipping a proposed declaration decides the classes again without it (its subclasses may
// then get a declaration of their own), so items come ancestors first.
import { createPrompt, useKeypress, useState, type KeypressEvent } from "@inquirer/core";
import { editedFiles, redecide, type Analysis } from "../transforms/lib/api.ts";
import { insertDeclaration, replaceDeclaration } from "../transforms/lib/edits/declaration.ts";
import { frontEndOf } from "../transforms/lib/frontends/index.ts";
import type { Decision, Edit, Profile } from "../transforms/lib/model.ts";
import { colorDiff, colorsFor } from "./color.ts";
import { where } from "./describe.ts";
import { BACKPORT, codeOf, explainText } from "./rule-docs.ts";
import { unifiedDiff } from "./formats/diff.ts";

export class Cancelled extends Error {}

interface Item {
  decision?: Decision;
  edits: Edit[];
  /** A needs-review action: never part of "apply all remaining". */
  action?: string;
}

/** An item not accepted: declined with n, or left when the review was quit. */
export interface SkippedItem {
  /** `SessionMiddleware (src/session.ts:3)`, or the backport module's file. */
  name: string;
  /** The outcome or action that was not applied. */
  what: string;
  classId: string;
}

export interface ReviewResult {
  edits: Edit[];
  /** Needs-review classes resolved by their action: class id → action label. */
  resolved: Map<string, string>;
  skipped: SkippedItem[];
  quit: boolean;
  /** The analysis with the decisions made again for every declaration skipped (the input when none was). */
  analysis: Analysis;
}

/** The edit a needs-review action writes: flip an existing literal, else insert a declaration. */
export function actionEdit(d: Decision, profile: Profile): Edit | null {
  if (!d.action) return null;
  const value = d.action.asyncCapable;
  if (d.node.flags.asyncCapable?.valueRange) return replaceDeclaration(d.node, value);
  if (!d.node.insertion) return null;
  return insertDeclaration(d.node, frontEndOf(d.node.language).names(profile).asyncCapable, value);
}

/** Items in decision order, except that a class comes after the items of its ancestors. */
export function reviewItems(analysis: Analysis, profile: Profile): Item[] {
  const items: Item[] = [];
  const claimed = new Set<Edit>();
  const suppressed = analysis.basis.suppressed ?? new Set<string>();
  for (const d of analysis.decisions) {
    if (suppressed.has(d.node.id)) continue;
    if (d.outcome === "needs-review") {
      const e = actionEdit(d, profile);
      if (e) items.push({ decision: d, edits: [e], action: d.action!.label });
    } else {
      const edits = analysis.edits.filter((e) => e.classId === d.node.id);
      edits.forEach((e) => claimed.add(e));
      if (edits.length) items.push({ decision: d, edits });
    }
  }
  const byClass = new Map(items.map((item) => [item.decision!.node.id, item]));
  const ordered: Item[] = [];
  const placed = new Set<Item>();
  const place = (item: Item) => {
    if (placed.has(item)) return;
    placed.add(item);
    for (const e of analysis.graph.mro(item.decision!.node).slice(1)) {
      const above = e.kind === "class" ? byClass.get(e.node.id) : undefined;
      if (above) place(above);
    }
    ordered.push(item);
  };
  items.forEach(place);
  items.splice(0, items.length, ...ordered);
  // Edits without a class decision (backport modules): one item per class id.
  const rest = new Map<string, Edit[]>();
  for (const e of analysis.edits) if (!claimed.has(e)) rest.set(e.classId, [...(rest.get(e.classId) ?? []), e]);
  for (const edits of rest.values()) items.push({ edits });
  return items;
}

/** The hunks of an item's edits, without the file headers. */
function hunks(analysis: Analysis, edits: Edit[]): string {
  let out = "";
  for (const { file, before, after } of editedFiles(analysis, edits).values()) {
    const diff = unifiedDiff(file, before, after);
    out += diff.slice(diff.indexOf("@@"));
  }
  return out;
}

/** Identifies an item across decisions made again: its class (or backport module) and whether it is an action. */
const itemKey = (item: Item) => `${item.action ? "action" : "edit"}:${item.decision?.node.id ?? item.edits[0].classId}`;

type Answer = "apply" | "skip" | "all" | "quit";

interface KeyChoice {
  key: string;
  label: string;
  value: Answer;
}

/** One keypress answers; `?` shows the explanation under the prompt; Enter does nothing. */
const keyPrompt = createPrompt<Answer, { message: string; choices: KeyChoice[]; explain: string }>((config, done) => {
  const [answer, setAnswer] = useState<KeyChoice | null>(null);
  const [explained, setExplained] = useState(false);
  useKeypress((key: KeypressEvent, rl) => {
    if (answer) return;
    const typed = ((key as KeypressEvent & { sequence?: string }).sequence ?? key.name ?? "").toLowerCase();
    rl.clearLine(0); // the key is an answer, not text
    if (typed === "?") return setExplained(!explained);
    const choice = config.choices.find((c) => c.key === typed);
    if (choice) {
      setAnswer(choice);
      done(choice.value);
    }
  });
  const keys = [...config.choices.map((c) => c.key), "?"].join(",");
  if (answer) return `${config.message} ${answer.key}: ${answer.label}`;
  const legend = config.choices.map((c) => `${c.key}) ${c.label}`).join("  ") + "  ?) explain";
  return [`${config.message} [${keys}] `, explained ? `${config.explain}\n${legend}` : legend];
});

/** The explanation `?` shows: the decision's reason, then its rule's docs. */
function explanation(item: Item): string {
  const d = item.decision;
  if (!d) return explainText(BACKPORT).trimEnd();
  return `What: ${d.reason}.${d.advice ? ` ${d.advice}` : ""}\n${explainText(codeOf(d)).trimEnd()}`;
}

/**
 * `keep`: which edits may be offered (the caller's paths); applied to the edits of decisions made again,
 * as the caller applied it to `analysis.edits`.
 */
export async function review(
  analysis: Analysis,
  profile: Profile,
  io = { input: process.stdin, output: process.stdout },
  keep: (e: Edit) => boolean = () => true,
): Promise<ReviewResult> {
  const c = colorsFor(io.output);
  let items = reviewItems(analysis, profile);
  const result: ReviewResult = { edits: [], resolved: new Map(), skipped: [], quit: false, analysis };
  const declined = new Set<string>();
  const answered = new Set<string>();
  let applyAll = false;
  let shown = 0;
  const skippedItem = (item: Item): SkippedItem => {
    const d = item.decision;
    return {
      name: d ? `${d.node.name} (${where(d)})` : item.edits.map((e) => e.file).join(", "),
      what: item.action ?? d?.outcome ?? "--backport",
      classId: d?.node.id ?? item.edits[0].classId,
    };
  };
  while (items.length) {
    const item = items.shift()!;
    answered.add(itemKey(item));
    const d = item.decision;
    const title = d ? `${c.bold(d.node.name)}  ${where(d)}` : c.bold(item.edits.map((e) => e.file).join(", "));
    const kind = item.action ? c.yellow("needs review") : c.green(d?.outcome ?? "backport");
    shown++;
    let text = `\n${c.dim(`[${shown}/${shown + items.length}]`)} ${title}  ${kind}\n`;
    if (d) text += `${d.reason}.\n`;
    if (d?.advice && item.action) text += `${c.dim(d.advice)}\n`;
    text += colorDiff(hunks(result.analysis, item.edits), c);
    io.output.write(text.endsWith("\n") ? text : text + "\n");

    let answer: Answer;
    if (applyAll && !item.action) answer = "apply";
    else {
      try {
        answer = await keyPrompt(
          {
            // An action that may change what the class does says so where it is offered.
            message: item.action ? `${item.action}${d?.action?.caution ? ` (${d.action.caution})` : ""}?` : "Apply this edit?",
            explain: explanation(item),
            choices: [
              { key: "y", label: item.action ? item.action : "apply", value: "apply" },
              { key: "n", label: item.action ? "skip (keep as it is)" : "skip", value: "skip" },
              ...(item.action ? [] : [{ key: "a", label: "apply this and all remaining proposed edits", value: "all" as const }]),
              { key: "q", label: "quit, writing what was accepted so far", value: "quit" },
            ],
          },
          { input: io.input, output: io.output },
        );
      } catch (e) {
        if ((e as Error).name === "ExitPromptError") throw new Cancelled("interrupted");
        throw e;
      }
    }
    if (answer === "quit") {
      result.quit = true;
      result.skipped.push(skippedItem(item), ...items.map(skippedItem));
      break;
    }
    if (answer === "all") applyAll = true;
    if (answer === "skip") {
      result.skipped.push(skippedItem(item));
      if (d && !item.action && (d.outcome === "set-async-capable-false" || d.outcome === "set-async-capable-true")) {
        // Decide again without this declaration; go on with what is now proposed and not yet answered.
        declined.add(d.node.id);
        const again = redecide(analysis, declined);
        result.analysis = { ...again, edits: again.edits.filter(keep) };
        items = reviewItems(result.analysis, profile).filter((next) => !answered.has(itemKey(next)));
      }
      continue;
    }
    result.edits.push(...item.edits);
    if (item.action && d) result.resolved.set(d.node.id, item.action);
  }
  return result;
}
