/**
 * The thread that parses a large refresh's main files: each message is one
 * batch of files, parsed with the same code that would run inline. It loads
 * the front-matter parser alone (js-yaml), not the exporters of the offload
 * threads, so its heap and modules stay small.
 */
import { parseMetadataBatch, type ParsedMetadata } from "@scriptorium/domain/front-matter";

export default function parse(texts: string[]): ParsedMetadata[] {
  return parseMetadataBatch(texts);
}
