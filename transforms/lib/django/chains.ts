// Chain analysis of Django MIDDLEWARE settings.
import type { ClassNode, Edit, FileError, SourceFile } from "../model.ts";
import type { Chain } from "./chain-model.ts";

export interface ChainInput {
  cwd: string;
  pyFiles: SourceFile[];
  project: unknown;
  classes: ClassNode[];
  overrides: ReadonlyMap<string, boolean>;
  target: { version: string; source: string } | null;
  backport: boolean;
}

export async function analyseChains(_input: ChainInput): Promise<{ chains: Chain[]; edits: Edit[]; errors: FileError[] }> {
  return { chains: [], edits: [], errors: [] };
}
