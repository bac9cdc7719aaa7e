// Atomic writes: a temporary file in the same folder, then rename, mode kept. A file that
// changed on disk since it was read is not written.
import { promises as fs } from "node:fs";
import path from "node:path";
import { encodeSource } from "../transforms/lib/files.ts";

/** `encoding`: the file's declared encoding (PEP 263) it was read in and is written back in. */
export async function writeAtomically(absPath: string, expectedBefore: string | null, text: string, encoding?: string): Promise<void> {
  let mode = 0o644;
  if (expectedBefore !== null) {
    const current = await fs.readFile(absPath).catch((e: NodeJS.ErrnoException) => {
      throw e.code === "ENOENT" ? new Error("file disappeared during the run") : e;
    });
    if (!current.equals(encodeSource(expectedBefore, encoding))) throw new Error("changed on disk during the run; not written");
    mode = (await fs.stat(absPath)).mode & 0o7777;
  }
  const tmp = path.join(path.dirname(absPath), `.${path.basename(absPath)}.${process.pid}.middleware-codemod.tmp`);
  try {
    await fs.writeFile(tmp, encodeSource(text, encoding), { mode, flag: "wx" });
    await fs.rename(tmp, absPath);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
