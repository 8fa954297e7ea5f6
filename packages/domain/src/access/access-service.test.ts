import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES, openTestDatabase, type TestDatabase } from "@scriptorium/db/testing";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../errors";
import { AccessService, type KeyChange, type Principal } from "./access-service";

describe.each(ENGINES)("AccessService on %s", (engine) => {
  let test: TestDatabase;
  let access: AccessService;
  let owner: Principal;
  const ownerKey = "owner-key-for-tests-0123456789";

  beforeAll(async () => {
    test = await openTestDatabase(engine);
    access = new AccessService(test.handle.db);
    const bootstrap = await access.ensureOwnerKey(ownerKey);
    expect(bootstrap.generated).toBe(false);
    const principal = await access.authenticate(ownerKey);
    if (!principal) throw new Error("the bootstrap key does not authenticate");
    owner = principal;
  });
  afterAll(() => test.dispose());

  it("bootstraps exactly once, into a Default workspace", async () => {
    expect(owner).toMatchObject({ scope: "owner", workspaceName: "Default", keyName: "Owner", keyPrefix: ownerKey.slice(0, 12) });
    expect(await access.ensureOwnerKey("another-bootstrap-key-000")).toEqual({ created: null, generated: false });
    expect(await access.authenticate("another-bootstrap-key-000")).toBeNull();
  });

  it("rejects a bootstrap key that is too short", async () => {
    const fresh = await openTestDatabase(engine);
    try {
      await expect(new AccessService(fresh.handle.db).ensureOwnerKey("short")).rejects.toBeInstanceOf(InvalidError);
    } finally {
      await fresh.dispose();
    }
  });

  it("generates a random owner key when none is configured", async () => {
    const fresh = await openTestDatabase(engine);
    try {
      const result = await new AccessService(fresh.handle.db).ensureOwnerKey(undefined);
      expect(result.generated).toBe(true);
      expect(result.created?.key).toMatch(/^scr_[\w-]{43}$/);
      expect(result.created?.scope).toBe("owner");
    } finally {
      await fresh.dispose();
    }
  });

  it("issues random keys, stores only their hash and shows a prefix", async () => {
    const issued = await access.createKey(owner, { name: "ci", scope: "read" });
    expect(issued.key).toMatch(/^scr_/);
    expect(issued.prefix).toBe(issued.key.slice(0, 12));
    const other = await access.createKey(owner, { name: "ci", scope: "read" });
    expect(other.key).not.toBe(issued.key);
    const listed = (await access.listKeys(owner.workspaceId)).items;
    const row = listed.find((key) => key.id === issued.id);
    expect(row).toBeDefined();
    expect(row).not.toHaveProperty("key");
    expect(row).not.toHaveProperty("keyHash");
    expect(JSON.stringify(listed)).not.toContain(issued.key);
    expect(await access.authenticate(issued.key)).toMatchObject({ keyId: issued.id, scope: "read", workspaceId: owner.workspaceId });
  });

  it("never lets a key mint or revoke a key above its own scope", async () => {
    const admin = await access.createKey(owner, { name: "admin", scope: "admin" });
    const adminPrincipal = await access.authenticate(admin.key);
    if (!adminPrincipal) throw new Error("admin key does not authenticate");
    await expect(access.createKey(adminPrincipal, { name: "escalate", scope: "owner" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(access.revokeKey(adminPrincipal, owner.keyId)).rejects.toBeInstanceOf(ForbiddenError);
    const writer = await access.createKey(adminPrincipal, { name: "writer", scope: "write" });
    expect(writer.scope).toBe("write");
  });

  it("revokes at once in this process, and only within the workspace", async () => {
    const { workspace, adminKey } = await access.createWorkspace("Other");
    const otherAdmin = await access.authenticate(adminKey.key);
    if (!otherAdmin) throw new Error("new workspace's admin key does not authenticate");
    expect(otherAdmin).toMatchObject({ workspaceId: workspace.id, workspaceName: "Other", scope: "admin" });

    const victim = await access.createKey(owner, { name: "victim", scope: "read" });
    expect(await access.authenticate(victim.key)).not.toBeNull();
    await expect(access.revokeKey(otherAdmin, victim.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await access.authenticate(victim.key)).not.toBeNull();
    await access.revokeKey(owner, victim.id);
    expect(await access.authenticate(victim.key)).toBeNull();
    await expect(access.revokeKey(owner, victim.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await access.listKeys(workspace.id)).items.map((key) => key.id)).toEqual([adminKey.id]);
  });

  it("refuses to revoke the last owner key", async () => {
    await expect(access.revokeKey(owner, owner.keyId)).rejects.toBeInstanceOf(ConflictError);
    const second = await access.createKey(owner, { name: "second owner", scope: "owner" });
    await access.revokeKey(owner, second.id);
  });

  it("announces key changes to watchers of that workspace only", async () => {
    const controller = new AbortController();
    const seen: KeyChange[] = [];
    const watching = (async () => {
      for await (const change of access.watchKeys(owner.workspaceId, controller.signal)) {
        seen.push(change);
        if (seen.length === 2) break;
      }
    })();
    const { adminKey: elsewhere } = await access.createWorkspace("Elsewhere");
    const elsewherePrincipal = await access.authenticate(elsewhere.key);
    if (!elsewherePrincipal) throw new Error("no principal");
    await access.createKey(elsewherePrincipal, { name: "not ours", scope: "read" });
    const created = await access.createKey(owner, { name: "watched", scope: "read" });
    await access.revokeKey(owner, created.id);
    await watching;
    controller.abort();
    expect(seen).toEqual([
      { workspaceId: owner.workspaceId, change: "created", keyId: created.id },
      { workspaceId: owner.workspaceId, change: "revoked", keyId: created.id },
    ]);
  });
});
