// Edits are splices into the original text: every byte outside them stays as it was.
import type { Edit } from "../model.ts";

export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.offset) + e.insert + out.slice(e.offset + (e.deleteCount ?? 0));
  return out;
}

export function groupByFile(edits: readonly Edit[]): Map<string, Edit[]> {
  const out = new Map<string, Edit[]>();
  for (const e of edits) {
    const list = out.get(e.absPath) ?? [];
    list.push(e);
    out.set(e.absPath, list);
  }
  return out;
}
