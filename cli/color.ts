// Colours only on a terminal, never with NO_COLOR (no-color.org: set and not empty).
import pc from "picocolors";
type Colors = ReturnType<typeof pc.createColors>;

export type { Colors };

export function colorsFor(stream: { isTTY?: boolean }): Colors {
  return pc.createColors(Boolean(stream.isTTY) && !process.env.NO_COLOR);
}

/** Colour a unified diff line by line (headers bold, hunks cyan, - red, + green). */
export function colorDiff(diff: string, c: Colors): string {
  return diff
    .split("\n")
    .map((l) =>
      /^(diff --git|--- |\+\+\+ |new file mode)/.test(l) ? c.bold(l) : l.startsWith("@@") ? c.cyan(l) : l.startsWith("+") ? c.green(l) : l.startsWith("-") ? c.red(l) : l,
    )
    .join("\n");
}
