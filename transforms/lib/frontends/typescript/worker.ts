// The TS/JS front end on a thread with a large stack (see readTypeScript): for runs whose
// code nests too deep for the main thread.
import { parentPort, workerData } from "node:worker_threads";
import type { SourceFile } from "../../model.ts";
import { readInThread, type ReadContext } from "./index.ts";

const { files, ctx } = workerData as { files: SourceFile[]; ctx: ReadContext };
parentPort!.postMessage(await readInThread(files, ctx));
