// What every output of a run is made from, and the one signature each format has.
import type { Analysis, editedFiles } from "../../transforms/lib/api.ts";
import type { Edit, FileError } from "../../transforms/lib/model.ts";
import type { Colors } from "../color.ts";
import type { Suppression } from "../suppress.ts";

export interface RunOutput {
  analysis: Analysis;
  /** The edits of this run inside the given paths. */
  edits: readonly Edit[];
  /** Errors of the whole run: analysis, edits outside the given paths, writing. */
  errors: readonly FileError[];
  /** The new text of each file the edits change. */
  changed: ReturnType<typeof editedFiles>;
  /** Files written (or, in a dry run, that would change). */
  filesChanged: number;
  /** Nothing is written: the edits are only proposed. */
  dryRun: boolean;
  /** Classes whose edit was written (or, in a dry run, proposed). */
  written: ReadonlySet<string>;
  /** Items kept out by a suppression comment or --exclude. */
  suppressed: ReadonlyMap<string, Suppression>;
  /** Interactive review: needs-review classes resolved by an action, with its label. */
  resolved: ReadonlyMap<string, string>;
  /** Interactive review: the classes of the items not accepted. */
  skipped: readonly { classId: string }[];
  /** This tool's version. */
  version: string;
  /** The colours of the stream the output goes to. */
  colors: Colors;
}

/** A diff of a file in a PEP 263 encoding carries that file's bytes: a Buffer. */
export type Formatter = (run: RunOutput) => string | Buffer;
