// The throughput claims are drawn from the table of measured figures and nothing else:
// a release with figures gets them (ratios per server and view, the spread, the source),
// a release without says "not measured".
import { describe, expect, it } from "vitest";
import { backportEffect, MEASURED, measuredFor, type ReleaseMeasurement } from "../transforms/lib/django/measured.ts";

const cell = (server: string, view: "async" | "sync", concurrency: number, stock: number, backport: number, range: [number, number] | null) => ({
  server,
  view,
  concurrency,
  stock,
  backport,
  range,
});

const TABLE: Record<string, ReleaseMeasurement> = {
  "4.2": {
    django: "4.2.30",
    asgiref: "3.8.1",
    servers: { uvicorn: "0.32.0" },
    switches: "13 -> 2 + 1",
    source: { bench: "bench/asgi-servers.mjs", machine: "2-core test machine", date: "2026-01-02", method: "m" },
    cells: [
      cell("uvicorn", "async", 1, 100, 150, [1.4, 1.6]),
      cell("uvicorn", "async", 10, 200, 260, [1.2, 1.35]),
      cell("uvicorn", "sync", 1, 100, 120, [1.1, 1.3]),
      cell("uvicorn", "sync", 10, 100, 90, [0.8, 0.95]),
      cell("gunicorn (WSGI)", "async", 1, 100, 300, [0.5, 3]),
    ],
  },
  "3.2": { django: "3.2.25", asgiref: "3.6.0", servers: {}, switches: "13 -> 2 + 1", source: { bench: "b", machine: "m", date: "d", method: "m" }, cells: [] },
};

describe("backportEffect", () => {
  it("a measured release: ratios of the medians per ASGI server and view, the spread of the ASGI cells, the source", () => {
    expect(backportEffect("4.2.7", TABLE)).toBe(
      "Measured for Django 4.2.30 (bench/asgi-servers.mjs, 2026-01-02, 2-core test machine): the default startproject stack (13 -> 2 + 1 switches per async request), " +
        "requests/s with --backport relative to stock at c=1/10: uvicorn 0.32.0 async view 1.50x/1.30x, sync view 1.20x/0.90x; single repetitions ranged from 0.80x to 1.60x; the WSGI reference, which --backport cannot change, measured 3.00x to 3.00x. " +
        "Measure your own stack, server and load before relying on it.",
    );
  });

  it("a release without figures, and no target at all: not measured", () => {
    expect(backportEffect("5.1", TABLE)).toBe("Throughput with --backport was not measured for Django 5.1 (measured: Django 3.2, 4.2).");
    expect(backportEffect(null, TABLE)).toBe("Throughput with --backport was not measured for this Django version (measured: Django 3.2, 4.2).");
  });

  it("the shipped table: every release has both variants of every cell, positive figures, a source and a date", () => {
    for (const [release, m] of Object.entries(MEASURED)) {
      expect(measuredFor(release)).toBe(m);
      expect(m.django.startsWith(`${release}.`)).toBe(true);
      expect(m.source.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(m.source.machine.length).toBeGreaterThan(0);
      for (const c of m.cells) {
        expect(c.stock).toBeGreaterThan(0);
        expect(c.backport).toBeGreaterThan(0);
        if (c.range) expect(c.range[0]).toBeLessThanOrEqual(c.range[1]);
      }
    }
  });
});
