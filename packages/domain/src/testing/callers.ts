import { randomUUID } from "node:crypto";
import { apiKeys, type Database } from "@scriptorium/db";
import type { Scope } from "@scriptorium/contract";
import type { Caller } from "../access/local-source-access";
import { generateKey, hashKey, visiblePrefix } from "../access/secrets";

/** An owner key of `workspaceId`: the caller that may add local sources when the workspace is the installation's first. */
export function ownerOf(workspaceId: string): Caller {
  return { workspaceId, scope: "owner" };
}

/**
 * Stores a key straight in the database, for keys the API never issues (an
 * owner key outside the first workspace: owner keys mint keys only in their
 * own workspace, and a new workspace starts with an admin key). Returns the key.
 */
export async function plantKey(db: Database, workspaceId: string, scope: Scope): Promise<string> {
  const key = generateKey();
  await db.insert(apiKeys).values({ id: randomUUID(), workspaceId, name: `planted ${scope}`, scope, prefix: visiblePrefix(key), keyHash: hashKey(key) });
  return key;
}
