// Measured throughput of --backport, per Django release: the only source of every claim the
// report, the chain notes and the generated module make about requests per second. Figures
// come from one run of bench/asgi-servers.mjs (its --json output), with the machine and date
// of that run; a release without an entry is "not measured", never extrapolated.
import { compareVersions } from "../version.ts";

export interface ThroughputCell {
  server: string;
  view: "async" | "sync";
  concurrency: number;
  /** Median requests/s, stock Django and with --backport. */
  stock: number;
  backport: number;
  /** Lowest and highest backport/stock ratio of the paired repetitions (null: not recorded). */
  range: [number, number] | null;
}

export interface ReleaseMeasurement {
  /** The Django version measured (exact). */
  django: string;
  asgiref: string;
  /** Server name → the version measured. */
  servers: Record<string, string>;
  /** Switches per request to an async view of the measured stack, stock → --backport. */
  switches: string;
  source: { bench: string; machine: string; date: string; method: string };
  cells: ThroughputCell[];
}

/** By release (major.minor). */
export const MEASURED: Record<string, ReleaseMeasurement> = {
  "3.2": {
    django: "3.2.25",
    asgiref: "3.6.0",
    servers: { uvicorn: "Debian bookworm", daphne: "Debian bookworm", "gunicorn (WSGI)": "Debian bookworm" },
    switches: "13 -> 2 + 1",
    source: {
      bench: "bench/asgi-servers.mjs",
      machine: "2-core AMD EPYC shared with other jobs",
      date: "2026-11-25",
      method: "default startproject stack, DEBUG off, ab on 127.0.0.1, median of 5 alternating 3 s runs; the WSGI reference, which the backport cannot change, moved by up to 25% between runs",
    },
    cells: [
      { server: "daphne", view: "async", concurrency: 1, stock: 205, backport: 276, range: null },
      { server: "daphne", view: "async", concurrency: 10, stock: 344, backport: 349, range: null },
      { server: "daphne", view: "async", concurrency: 50, stock: 622, backport: 391, range: null },
      { server: "uvicorn", view: "async", concurrency: 1, stock: 505, backport: 822, range: null },
      { server: "uvicorn", view: "async", concurrency: 10, stock: 605, backport: 806, range: null },
      { server: "uvicorn", view: "async", concurrency: 50, stock: 776, backport: 546, range: null },
      { server: "gunicorn (WSGI)", view: "async", concurrency: 1, stock: 453, backport: 340, range: null },
      { server: "gunicorn (WSGI)", view: "async", concurrency: 10, stock: 451, backport: 499, range: null },
      { server: "gunicorn (WSGI)", view: "async", concurrency: 50, stock: 574, backport: 586, range: null },
    ],
  },
};

/** The release (major.minor) of a version string. */
export function releaseOf(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

export function measuredFor(target: string | null, table: Record<string, ReleaseMeasurement> = MEASURED): ReleaseMeasurement | null {
  return target ? (table[releaseOf(target)] ?? null) : null;
}

const ratio = (c: ThroughputCell) => `${(c.backport / c.stock).toFixed(2)}x`;
const isWsgi = (server: string) => /wsgi/i.test(server);

/** "uvicorn async view 1.63x/1.33x/0.70x, sync view …; daphne …" for the ASGI servers. */
function ratios(m: ReleaseMeasurement): string {
  const servers = [...new Set(m.cells.map((c) => c.server))].filter((s) => !isWsgi(s));
  return servers
    .map((s) => {
      const views = (["async", "sync"] as const)
        .map((v) => {
          const cells = m.cells.filter((c) => c.server === s && c.view === v).sort((a, b) => a.concurrency - b.concurrency);
          return cells.length ? `${v} view ${cells.map(ratio).join("/")}` : null;
        })
        .filter(Boolean);
      return `${s}${m.servers[s] ? ` ${m.servers[s]}` : ""} ${views.join(", ")}`;
    })
    .join("; ");
}

/** The spread of the paired repetitions, where recorded, and how far the WSGI reference moved. */
function spread(m: ReleaseMeasurement): string {
  const out: string[] = [];
  const ranges = m.cells.filter((c) => c.range && !isWsgi(c.server)).map((c) => c.range!);
  if (ranges.length) out.push(`single repetitions ranged from ${Math.min(...ranges.map((r) => r[0])).toFixed(2)}x to ${Math.max(...ranges.map((r) => r[1])).toFixed(2)}x`);
  const wsgi = m.cells.filter((c) => isWsgi(c.server)).map((c) => c.backport / c.stock);
  if (wsgi.length) out.push(`the WSGI reference, which --backport cannot change, measured ${Math.min(...wsgi).toFixed(2)}x to ${Math.max(...wsgi).toFixed(2)}x`);
  return out.map((x) => `; ${x}`).join("");
}

/**
 * What --backport did to throughput on the target release, from `table` (default: MEASURED),
 * in one or two sentences; "not measured" for a release without figures. ASCII only: it also
 * goes into the generated Python module.
 */
export function backportEffect(target: string | null, table: Record<string, ReleaseMeasurement> = MEASURED): string {
  const m = measuredFor(target, table);
  if (!m)
    return `Throughput with --backport was not measured for ${target ? `Django ${target}` : "this Django version"} (measured: Django ${Object.keys(table).sort(compareVersions).join(", ")}).`;
  const levels = [...new Set(m.cells.map((c) => c.concurrency))].sort((a, b) => a - b).join("/");
  return (
    `Measured for Django ${m.django} (${m.source.bench}, ${m.source.date}, ${m.source.machine}): the default startproject stack ` +
    `(${m.switches} switches per async request), requests/s with --backport relative to stock at c=${levels}: ${ratios(m)}${spread(m)}. ` +
    `Measure your own stack, server and load before relying on it.`
  );
}
