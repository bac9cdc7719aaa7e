// Progress on long runs: one self-overwriting status line on stderr, only when stderr is a
// terminal (a log or a pipe gets nothing), at most ten updates a second.
export interface Progress {
  update(status: string): void;
  done(): void;
}

export function progress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(status) {
      const now = Date.now();
      if (shown && now - last < 100) return;
      last = now;
      shown = true;
      const width = (stream.columns || 80) - 1;
      stream.write(`\r\x1b[K${status.slice(0, width)}`);
    },
    done() {
      if (shown) stream.write("\r\x1b[K");
      shown = false;
    },
  };
}
