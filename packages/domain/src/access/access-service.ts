import { randomUUID } from "node:crypto";
import { EventEmitter, on } from "node:events";
import { and, count, eq } from "drizzle-orm";
import { apiKeys, workspaces, type ApiKeyRow, type Database, type WorkspaceRow } from "@scriptorium/db";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../errors";
import { scopeIncludes, type Scope } from "@scriptorium/contract";
import { Keyset, type Page, type PageRequest } from "../paging";
import { MIN_KEY_LENGTH, generateKey, hashKey, visiblePrefix } from "./secrets";

const KEYS_OLDEST_FIRST = new Keyset("keys:created_at:asc", apiKeys.createdAt, apiKeys.id, "asc");

/** Who is calling: resolved from an API key on every request. */
export interface Principal {
  keyId: string;
  keyName: string;
  keyPrefix: string;
  scope: Scope;
  workspaceId: string;
  workspaceName: string;
}

export type ApiKey = Omit<ApiKeyRow, "keyHash">;
/** A key as returned once, at creation: the only time the secret is visible. */
export type IssuedApiKey = ApiKey & { key: string };

export interface BootstrapResult {
  /** Set when this call created the first owner key. */
  created: IssuedApiKey | null;
  /** True when the key was generated here (so the caller must show or store it). */
  generated: boolean;
}

/**
 * How long a resolved key is trusted without asking the database again.
 * Revocation is immediate on the process that revoked; other processes of a
 * distributed installation notice within this window.
 */
const PRINCIPAL_CACHE_TTL_MS = 5_000;
const PRINCIPAL_CACHE_MAX = 10_000;

function publicKey(row: ApiKeyRow): ApiKey {
  const { keyHash: _hash, ...rest } = row;
  return rest;
}

/** What changed in a workspace's keys; drives live key lists. */
export interface KeyChange {
  workspaceId: string;
  change: "created" | "revoked";
  keyId: string;
}

export class AccessService {
  /** Resolved keys by the presented key itself: hashing on every request would cost more than the lookup. */
  private readonly principals = new Map<string, { principal: Principal; keyHash: string; expiresAt: number }>();
  private readonly changes = new EventEmitter<{ change: [KeyChange] }>();
  /** Look-ups in progress, by presented key. */
  private readonly lookups = new Map<string, Promise<Principal | null>>();
  /** Counts revocations, so that a look-up that overlapped one does not cache its answer. */
  private revocations = 0;

  constructor(private readonly db: Database) {}

  /** Resolves a presented key; null when it is unknown or revoked. */
  authenticate(key: string): Promise<Principal | null> {
    const cached = this.principals.get(key);
    if (cached && cached.expiresAt > Date.now()) return Promise.resolve(cached.principal);
    // Requests that arrive together with the same key (as every open
    // connection of a busy client does when its entry expires) share one look-up.
    let lookup = this.lookups.get(key);
    if (!lookup) {
      lookup = this.lookUp(key).finally(() => this.lookups.delete(key));
      this.lookups.set(key, lookup);
    }
    return lookup;
  }

  private async lookUp(key: string): Promise<Principal | null> {
    const now = Date.now();
    const revocations = this.revocations;
    const hash = hashKey(key);

    const [row] = await this.db
      .select({
        keyId: apiKeys.id,
        keyName: apiKeys.name,
        keyPrefix: apiKeys.prefix,
        scope: apiKeys.scope,
        workspaceId: workspaces.id,
        workspaceName: workspaces.name,
      })
      .from(apiKeys)
      .innerJoin(workspaces, eq(workspaces.id, apiKeys.workspaceId))
      .where(eq(apiKeys.keyHash, hash))
      .limit(1);
    if (!row) {
      this.principals.delete(key);
      return null;
    }
    const principal: Principal = row;
    // A key revoked while this look-up ran is not remembered.
    if (revocations !== this.revocations) return principal;
    if (this.principals.size >= PRINCIPAL_CACHE_MAX) this.principals.clear();
    this.principals.set(key, { principal, keyHash: hash, expiresAt: now + PRINCIPAL_CACHE_TTL_MS });
    return principal;
  }

  /** The workspace's keys, oldest first, a page at a time. */
  async listKeys(workspaceId: string, request: PageRequest = {}): Promise<Page<ApiKey>> {
    const limit = Keyset.limitOf(request);
    const rows = await this.db
      .select({ key: apiKeys, cursorKey: KEYS_OLDEST_FIRST.keyText() })
      .from(apiKeys)
      .where(and(eq(apiKeys.workspaceId, workspaceId), KEYS_OLDEST_FIRST.after(request.cursor)))
      .orderBy(...KEYS_OLDEST_FIRST.orderBy())
      .limit(limit + 1);
    return KEYS_OLDEST_FIRST.page(rows, limit, (row) => row.key.id, (row) => publicKey(row.key));
  }

  /** Issues a key in the caller's workspace; nobody can mint a key above their own scope. */
  async createKey(caller: Principal, input: { name: string; scope: Scope }): Promise<IssuedApiKey> {
    if (!scopeIncludes(caller.scope, input.scope)) {
      throw new ForbiddenError(`A key with scope "${caller.scope}" cannot create a key with scope "${input.scope}".`);
    }
    const issued = await this.insertKey(this.db, caller.workspaceId, input.name, input.scope, generateKey());
    this.changes.emit("change", { workspaceId: caller.workspaceId, change: "created", keyId: issued.id });
    return issued;
  }

  /** Key changes of one workspace, as they happen in this process, until `signal` aborts. */
  async *watchKeys(workspaceId: string, signal: AbortSignal | undefined): AsyncGenerator<KeyChange> {
    // Listeners are per subscriber; lift the default cap of 10.
    this.changes.setMaxListeners(0);
    try {
      for await (const [event] of on(this.changes, "change", { signal })) {
        const change = event as KeyChange;
        if (change.workspaceId === workspaceId) yield change;
      }
    } catch (error) {
      if (signal?.aborted) return; // the subscriber left
      throw error;
    }
  }

  async revokeKey(caller: Principal, keyId: string): Promise<void> {
    const keyHash = await this.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.id, keyId), eq(apiKeys.workspaceId, caller.workspaceId)))
        .limit(1);
      if (!row) throw new NotFoundError("API key", keyId);
      if (!scopeIncludes(caller.scope, row.scope)) {
        throw new ForbiddenError(`A key with scope "${caller.scope}" cannot revoke a key with scope "${row.scope}".`);
      }
      if (row.scope === "owner") {
        const [owners] = await tx.select({ n: count() }).from(apiKeys).where(eq(apiKeys.scope, "owner"));
        if ((owners?.n ?? 0) <= 1) {
          throw new ConflictError("This is the last owner key; revoking it would lock everyone out. Create another owner key first.");
        }
      }
      await tx.delete(apiKeys).where(eq(apiKeys.id, row.id));
      this.forget(row.keyHash);
      return row.keyHash;
    });
    // Again once the deletion is visible: a look-up that ran in between read the key before it went.
    this.forget(keyHash);
    this.changes.emit("change", { workspaceId: caller.workspaceId, change: "revoked", keyId });
  }

  /** Creates a workspace and its first admin key (owner scope is checked by the caller's procedure). */
  async createWorkspace(name: string): Promise<{ workspace: WorkspaceRow; adminKey: IssuedApiKey }> {
    return this.db.transaction(async (tx) => {
      const [workspace] = await tx.insert(workspaces).values({ id: randomUUID(), name }).returning();
      if (!workspace) throw new Error("Inserting a workspace returned no row.");
      const adminKey = await this.insertKey(tx, workspace.id, `${name} admin`, "admin", generateKey());
      return { workspace, adminKey };
    });
  }

  /**
   * Makes sure the installation has an owner key. With `bootstrapKey` and no
   * key yet, that key becomes the owner key; with neither, one is generated.
   */
  async ensureOwnerKey(bootstrapKey: string | undefined): Promise<BootstrapResult> {
    if (bootstrapKey !== undefined && bootstrapKey.length < MIN_KEY_LENGTH) {
      throw new InvalidError(`SCRIPTORIUM_BOOTSTRAP_KEY must be at least ${MIN_KEY_LENGTH} characters long.`);
    }
    return this.db.transaction(async (tx) => {
      const [existing] = await tx.select({ n: count() }).from(apiKeys);
      if ((existing?.n ?? 0) > 0) return { created: null, generated: false };
      const [workspace] = await tx.insert(workspaces).values({ id: randomUUID(), name: "Default" }).returning();
      if (!workspace) throw new Error("Inserting a workspace returned no row.");
      const key = bootstrapKey ?? generateKey();
      const created = await this.insertKey(tx, workspace.id, "Owner", "owner", key);
      return { created, generated: bootstrapKey === undefined };
    });
  }

  /** Drops a revoked key from the cache (revocations are rare; a scan is fine). */
  private forget(keyHash: string): void {
    this.revocations += 1;
    for (const [key, entry] of this.principals) if (entry.keyHash === keyHash) this.principals.delete(key);
  }

  private async insertKey(
    db: Pick<Database, "insert">,
    workspaceId: string,
    name: string,
    scope: Scope,
    key: string,
  ): Promise<IssuedApiKey> {
    const [row] = await db
      .insert(apiKeys)
      .values({ id: randomUUID(), workspaceId, name, scope, prefix: visiblePrefix(key), keyHash: hashKey(key) })
      .returning();
    if (!row) throw new Error("Inserting an API key returned no row.");
    return { ...publicKey(row), key };
  }
}
