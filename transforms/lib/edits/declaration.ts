// The one line this tool writes: a flag declaration, in the style of the class body.
import { frontEndOf } from "../frontends/index.ts";
import type { ClassNode, Edit } from "../model.ts";

export function declarationText(node: ClassNode, flagName: string, value: boolean): string {
  const ins = node.insertion;
  if (!ins) throw new Error(`${node.id}: no insertion point`);
  const literal = frontEndOf(node.language).literal(value);
  const field = ins.replace?.field ?? (ins.fieldStyle === "static" ? `static ${flagName}` : flagName);
  return `${ins.lead}${field} = ${literal}${ins.semicolon ? ";" : ""}${ins.trail}`;
}

/** Insert a declaration as the first member of the class body (or turn a field without a value into it). */
export function insertDeclaration(node: ClassNode, flagName: string, value: boolean): Edit {
  const ins = node.insertion!;
  const edit: Edit = { file: node.file, absPath: node.absPath, offset: ins.offset, insert: declarationText(node, flagName, value), classId: node.id };
  if (ins.replace) edit.deleteCount = ins.replace.length;
  return edit;
}

/** Replace the literal of an existing declaration (interactive review: flip an opt-in). */
export function replaceDeclaration(node: ClassNode, value: boolean): Edit | null {
  const range = node.flags.asyncCapable?.valueRange;
  if (!range) return null;
  const literal = frontEndOf(node.language).literal(value);
  return { file: node.file, absPath: node.absPath, offset: range.start, deleteCount: range.end - range.start, insert: literal, classId: node.id };
}
