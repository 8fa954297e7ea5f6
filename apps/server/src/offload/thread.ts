/**
 * A worker thread of the offload pool: each message is one task (an export
 * build, one call of the offline writer), done with the same code that
 * would run inline.
 */
import { performTask, type OffloadTask } from "@scriptorium/domain/offload";

export default function run(task: OffloadTask): Promise<unknown> {
  return performTask(task);
}
