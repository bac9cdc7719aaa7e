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

const MACHINE = "2-core Intel Xeon VM, 24 GiB, shared with other jobs";
const METHOD = "startproject stack, DEBUG off, ab on 127.0.0.1; medians of 3 repetitions with fresh servers, alternating order, ab -n 2000 -t 2 per cell";

/** By release (major.minor). */
export const MEASURED: Record<string, ReleaseMeasurement> = {
  "3.2": {
    django: "3.2.25",
    asgiref: "3.6.0",
    servers: { uvicorn: "0.32.0", daphne: "4.1.2", "gunicorn (WSGI)": "20.1.0" },
    switches: "13 + 0 -> 2 + 1",
    source: { bench: "bench/asgi-servers.mjs", machine: MACHINE, date: "2026-11-30", method: METHOD },
    cells: [
      { server: "uvicorn", view: "async", concurrency: 1, stock: 251, backport: 446, range: [1.31, 2.19] },
      { server: "uvicorn", view: "async", concurrency: 10, stock: 408, backport: 540, range: [1.25, 1.40] },
      { server: "uvicorn", view: "async", concurrency: 50, stock: 504, backport: 507, range: [0.96, 1.02] },
      { server: "uvicorn", view: "sync", concurrency: 1, stock: 240, backport: 397, range: [1.62, 1.94] },
      { server: "uvicorn", view: "sync", concurrency: 10, stock: 379, backport: 499, range: [1.18, 1.35] },
      { server: "uvicorn", view: "sync", concurrency: 50, stock: 512, backport: 452, range: [0.80, 0.91] },
      { server: "daphne", view: "async", concurrency: 1, stock: 241, backport: 360, range: [1.44, 1.49] },
      { server: "daphne", view: "async", concurrency: 10, stock: 396, backport: 370, range: [0.88, 1.00] },
      { server: "daphne", view: "async", concurrency: 50, stock: 454, backport: 310, range: [0.68, 0.79] },
      { server: "daphne", view: "sync", concurrency: 1, stock: 249, backport: 339, range: [1.30, 1.54] },
      { server: "daphne", view: "sync", concurrency: 10, stock: 374, backport: 328, range: [0.84, 0.90] },
      { server: "daphne", view: "sync", concurrency: 50, stock: 471, backport: 330, range: [0.62, 0.84] },
      { server: "gunicorn (WSGI)", view: "async", concurrency: 1, stock: 697, backport: 724, range: [0.93, 1.11] },
      { server: "gunicorn (WSGI)", view: "async", concurrency: 10, stock: 755, backport: 709, range: [0.82, 1.05] },
      { server: "gunicorn (WSGI)", view: "async", concurrency: 50, stock: 751, backport: 700, range: [0.80, 1.02] },
      { server: "gunicorn (WSGI)", view: "sync", concurrency: 1, stock: 1606, backport: 1564, range: [0.66, 1.20] },
      { server: "gunicorn (WSGI)", view: "sync", concurrency: 10, stock: 2557, backport: 1783, range: [0.57, 1.20] },
      { server: "gunicorn (WSGI)", view: "sync", concurrency: 50, stock: 2770, backport: 2069, range: [0.60, 0.95] },
    ],
  },
  "4.2": {
    django: "4.2.30",
    asgiref: "3.8.1",
    servers: { uvicorn: "0.32.0", daphne: "4.1.2", "gunicorn (WSGI)": "20.1.0" },
    switches: "13 + 0 -> 2 + 1",
    source: { bench: "bench/asgi-servers.mjs", machine: MACHINE, date: "2026-11-30", method: METHOD },
    cells: [
      { server: "uvicorn", view: "async", concurrency: 1, stock: 245, backport: 452, range: [1.69, 1.85] },
      { server: "uvicorn", view: "async", concurrency: 10, stock: 343, backport: 526, range: [1.52, 1.73] },
      { server: "uvicorn", view: "async", concurrency: 50, stock: 366, backport: 535, range: [1.46, 1.62] },
      { server: "uvicorn", view: "sync", concurrency: 1, stock: 232, backport: 356, range: [1.53, 1.55] },
      { server: "uvicorn", view: "sync", concurrency: 10, stock: 303, backport: 468, range: [1.41, 1.54] },
      { server: "uvicorn", view: "sync", concurrency: 50, stock: 325, backport: 447, range: [1.36, 1.38] },
      { server: "daphne", view: "async", concurrency: 1, stock: 231, backport: 383, range: [1.62, 2.07] },
      { server: "daphne", view: "async", concurrency: 10, stock: 278, backport: 469, range: [1.57, 1.69] },
      { server: "daphne", view: "async", concurrency: 50, stock: 299, backport: 503, range: [1.68, 1.94] },
      { server: "daphne", view: "sync", concurrency: 1, stock: 197, backport: 366, range: [1.75, 2.31] },
      { server: "daphne", view: "sync", concurrency: 10, stock: 259, backport: 425, range: [1.64, 1.93] },
      { server: "daphne", view: "sync", concurrency: 50, stock: 301, backport: 464, range: [1.48, 1.59] },
      { server: "gunicorn (WSGI)", view: "async", concurrency: 1, stock: 701, backport: 676, range: [0.96, 1.12] },
      { server: "gunicorn (WSGI)", view: "async", concurrency: 10, stock: 726, backport: 714, range: [0.90, 1.04] },
      { server: "gunicorn (WSGI)", view: "async", concurrency: 50, stock: 731, backport: 737, range: [0.91, 1.20] },
      { server: "gunicorn (WSGI)", view: "sync", concurrency: 1, stock: 1851, backport: 1781, range: [0.67, 1.41] },
      { server: "gunicorn (WSGI)", view: "sync", concurrency: 10, stock: 1886, backport: 2709, range: [1.06, 1.57] },
      { server: "gunicorn (WSGI)", view: "sync", concurrency: 50, stock: 2891, backport: 2801, range: [0.66, 1.32] },
    ],
  },
  "5.2": {
    django: "5.2.18",
    asgiref: "3.12.1",
    servers: { uvicorn: "0.32.0", daphne: "4.1.2", "gunicorn (WSGI)": "20.1.0" },
    switches: "13 + 0 -> 2 + 1",
    source: { bench: "bench/asgi-servers.mjs", machine: MACHINE, date: "2026-11-30", method: METHOD },
    cells: [
      { server: "uvicorn", view: "async", concurrency: 1, stock: 234, backport: 457, range: [1.50, 2.03] },
      { server: "uvicorn", view: "async", concurrency: 10, stock: 287, backport: 505, range: [1.62, 2.04] },
      { server: "uvicorn", view: "async", concurrency: 50, stock: 325, backport: 547, range: [1.42, 1.90] },
      { server: "uvicorn", view: "sync", concurrency: 1, stock: 224, backport: 416, range: [1.46, 2.10] },
      { server: "uvicorn", view: "sync", concurrency: 10, stock: 273, backport: 478, range: [1.55, 2.14] },
      { server: "uvicorn", view: "sync", concurrency: 50, stock: 278, backport: 497, range: [1.73, 1.78] },
      { server: "daphne", view: "async", concurrency: 1, stock: 189, backport: 317, range: [1.50, 1.76] },
      { server: "daphne", view: "async", concurrency: 10, stock: 237, backport: 411, range: [1.70, 1.86] },
      { server: "daphne", view: "async", concurrency: 50, stock: 256, backport: 458, range: [1.59, 1.78] },
      { server: "daphne", view: "sync", concurrency: 1, stock: 199, backport: 296, range: [1.41, 1.62] },
      { server: "daphne", view: "sync", concurrency: 10, stock: 231, backport: 362, range: [1.43, 1.60] },
      { server: "daphne", view: "sync", concurrency: 50, stock: 233, backport: 396, range: [1.43, 1.76] },
      { server: "gunicorn (WSGI)", view: "async", concurrency: 1, stock: 784, backport: 768, range: [0.89, 1.00] },
      { server: "gunicorn (WSGI)", view: "async", concurrency: 10, stock: 811, backport: 762, range: [0.81, 1.08] },
      { server: "gunicorn (WSGI)", view: "async", concurrency: 50, stock: 774, backport: 762, range: [0.92, 1.01] },
      { server: "gunicorn (WSGI)", view: "sync", concurrency: 1, stock: 1797, backport: 2068, range: [0.79, 1.32] },
      { server: "gunicorn (WSGI)", view: "sync", concurrency: 10, stock: 2853, backport: 2752, range: [0.88, 1.08] },
      { server: "gunicorn (WSGI)", view: "sync", concurrency: 50, stock: 3129, backport: 2892, range: [0.78, 1.05] },
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
