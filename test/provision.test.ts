// test/setup/provision.mjs: the Debian entries it builds its private apt sources from, the
// Python dependencies it follows, and the parts the other tests run (provisioned by the
// global setup).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module without types
import { debianSources, provision, pythonDepends } from "./setup/provision.mjs";

function etc(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "mwc-apt-etc-"));
  mkdirSync(path.join(dir, "sources.list.d"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"; // exists on every Debian

describe("debianSources: the machine's own Debian entries", () => {
  it("reads deb822 .sources (URIs, Signed-By), skipping other repositories and disabled entries", () => {
    const dir = etc({
      "sources.list.d/nodesource.sources": "Types: deb\nURIs: https://deb.nodesource.com/node_20.x\nSuites: nodistro\nComponents: main\n",
      "sources.list.d/debian.sources": [
        "Types: deb-src\nURIs: http://src.example/debian\nSuites: bookworm\nComponents: main\n",
        "Types: deb\nURIs: http://off.example/debian\nSuites: bookworm\nComponents: main\nEnabled: no\n",
        `Types: deb\nURIs: http://mirror.example/debian/\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: ${KEYRING}\n`,
        `Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\nComponents: main\nSigned-By: ${KEYRING}\n`,
      ].join("\n"),
    });
    expect(debianSources(dir)).toEqual({ archive: "http://mirror.example/debian", security: "http://mirror.example/debian-security", keyring: KEYRING });
  });

  it("reads one-line sources.list entries; without a security entry it is the archive's sibling", () => {
    const dir = etc({ "sources.list": `# comment\ndeb [arch=amd64 signed-by=${KEYRING}] http://ftp.example/debian bookworm main\n` });
    expect(debianSources(dir)).toEqual({ archive: "http://ftp.example/debian", security: "http://ftp.example/debian-security", keyring: KEYRING });
  });

  it("stops with what to do where there is no Debian entry", () => {
    const dir = etc({ "sources.list": "deb http://archive.ubuntu.com/ubuntu noble main\n" });
    expect(() => debianSources(dir)).toThrow(/no Debian archive entry .* set MWC_DJANGO_3_2, MWC_DJANGO_4_2, MWC_DJANGO_5_2, MWC_TOOLS_PYTHONPATH and MWC_TOOLS_BIN$/);
  });
});

it("pythonDepends: python3-* dependencies, the first of each group of alternatives, none where the interpreter is one, no virtual package", () => {
  const output = [
    "python3-virtualenv",
    "  Depends: python3-pip-whl",
    " |Depends: python3-setuptools-whl",
    "  Depends: python3-distutils",
    "  Depends: python3-distutils",
    " |Depends: python3-importlib-metadata",
    "  Depends: python3",
    "  Depends: <python3:any>",
    "    python3",
    "  PreDepends: python3-filelock",
    "pre-commit",
    "  Depends: nodeenv",
    "  Depends: python3-yaml:any",
    "  Depends: python3-pip-whl",
    "  Recommends: python3-extra",
    "python3-cffi",
    "  Depends: <python3-cffi-backend-api-max>",
    "    python3-cffi-backend",
    "",
  ].join("\n");
  expect(pythonDepends(output)).toEqual(["python3-pip-whl", "python3-setuptools-whl", "python3-filelock", "python3-yaml"]);
});

it("the provisioned parts: Django 3.2, 4.2 and 5.2 with their asgiref and sqlparse, pre-commit and black", () => {
  const parts = provision({ log: () => {} }).parts;
  const shown = Object.fromEntries(
    Object.entries(parts as Record<string, { stamp: Record<string, string> }>).map(([name, p]) => [name, name === "tools" ? [p.stamp["pre-commit"], p.stamp.black] : p.stamp.version.split(".").slice(0, 2).join(".")]),
  );
  expect(shown).toEqual({
    "django-3.2": "3.2",
    "django-4.2": "4.2",
    "django-5.2": "5.2",
    tools: [expect.stringMatching(/^pre-commit 3\./), expect.stringMatching(/^black, 23\./)],
  });
});
