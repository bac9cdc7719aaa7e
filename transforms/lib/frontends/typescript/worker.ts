// The TS/JS front end on a thread with a large stack (see readTypeScript): for runs whose
// code nests too deep for the main thread. Files outside the scan are read by the main
// thread's reader, asked for by message.
import { parentPort, workerData } from "node:worker_threads";
import type { SourceFile } from "../../model.ts";
import { readInThread, type WorkerData, type WorkerMessage } from "./index.ts";

const port = parentPort!;
const { files, ctx } = workerData as WorkerData;
const waiting = new Map<number, (file: SourceFile | null) => void>();
let next = 0;
port.on("message", (m: { id: number; file: SourceFile | null }) => {
  waiting.get(m.id)?.(m.file);
  waiting.delete(m.id);
});
const readFile = (absPath: string) =>
  new Promise<SourceFile | null>((resolve) => {
    const id = next++;
    waiting.set(id, resolve);
    port.postMessage({ read: absPath, id } satisfies WorkerMessage);
  });
port.postMessage({ result: await readInThread(files, { ...ctx, readFile }) } satisfies WorkerMessage);
port.close();
