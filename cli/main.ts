#!/usr/bin/env node
// The command line: a thin shell over the library API.
import { Command } from "commander";
import { analyse, editedFiles } from "../transforms/lib/api.ts";
import { resultObject } from "../transforms/lib/result.ts";
import { unifiedDiff } from "./diff.ts";
import { writeAtomically } from "./write.ts";

const program = new Command()
  .name("middleware-codemod")
  .argument("[paths...]", "files or folders to scan", ["."])
  .option("--dry-run", "write nothing; print a unified diff")
  .option("--json", "print the result object on stdout")
  .option("--target <version>", "Django version whose upstream flags apply (auto reads the project's pins)", "auto")
  .action(async (paths: string[], opts: { dryRun?: boolean; json?: boolean; target: string }) => {
    const analysis = await analyse({ cwd: process.cwd(), paths, target: opts.target });
    const changed = editedFiles(analysis);
    const out: string[] = [];
    let writeErrors = 0;
    if (opts.dryRun) {
      if (!opts.json) for (const { file, before, after } of changed.values()) out.push(unifiedDiff(file, before, after));
    } else {
      for (const [absPath, { file, before, after }] of changed) {
        try {
          await writeAtomically(absPath, before, after);
        } catch (e) {
          writeErrors++;
          analysis.errors.push({ file, message: (e as Error).message });
        }
      }
    }
    if (opts.json) out.push(JSON.stringify(resultObject(analysis, changed.size - writeErrors), null, 2) + "\n");
    process.stdout.write(out.join(""));
    for (const e of analysis.errors) process.stderr.write(`${e.file}${e.line ? `:${e.line}:${e.column}` : ""}: ${e.message}\n`);
    process.exitCode = analysis.errors.length ? 2 : opts.dryRun && changed.size ? 1 : 0;
  });

await program.parseAsync();
