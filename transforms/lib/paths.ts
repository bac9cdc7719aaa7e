// Display names of files: relative to the working directory, `/` separators (as in the
// JSON result). Shared by the file reader and the front ends.
import path from "node:path";

export function relativeName(cwd: string, absPath: string): string {
  // Most names are of files under cwd: a slice, not path.relative's normalising (a tenth of a large run's time).
  if (absPath.length > cwd.length + 1 && absPath.startsWith(cwd) && absPath[cwd.length] === path.sep && !cwd.endsWith(path.sep) && path.isAbsolute(cwd)) {
    const rel = absPath.slice(cwd.length + 1);
    if (!/(?:^|[\\/])\.\.?(?:[\\/]|$)|[\\/]{2}/.test(rel)) return path.sep === "/" ? rel : rel.split(path.sep).join("/");
  }
  return path.relative(cwd, absPath).split(path.sep).join("/") || ".";
}
