/**
 * The thread that parses a large refresh's main files: each message is one
 * batch of files, parsed with the same code that would run inline. It loads
 * the front-matter parser alone (js-yaml), not the exporters of the offload
 * threads, so its heap and modules stay small.
 */
import { parentPort } from "node:worker_threads";
import { parseMetadataBatch } from "@scriptorium/domain/front-matter";

export interface ParseRequest {
  id: number;
  texts: string[];
}

parentPort?.on("message", ({ id, texts }: ParseRequest) => {
  parentPort?.postMessage({ id, parsed: parseMetadataBatch(texts) });
});
