import { asc } from "drizzle-orm";
import { workspaces, type Database } from "@scriptorium/db";
import { ForbiddenError } from "../errors";
import type { Principal } from "./access-service";

/** What decides whether a caller may add a source: its workspace and its key's scope. */
export type Caller = Pick<Principal, "workspaceId" | "scope">;

export const LOCAL_SOURCES_FORBIDDEN =
  "Local sources (and file:// git repositories) read this server's disk: only owner keys of the first workspace may add them while SCRIPTORIUM_LOCAL_ROOTS is unset; set it to let other keys add folders inside those roots.";

/**
 * Who may add sources read from the server's own disk (local folders and
 * `file://` repositories). Every file the server can read could be imported
 * and then read back through the content endpoints, so without configured
 * roots that is the operator's call alone: owner keys of the installation's
 * first workspace, the one created at bootstrap. Other workspaces are
 * tenants; their keys, and the first workspace's admin and write keys, may
 * add such sources only once SCRIPTORIUM_LOCAL_ROOTS says which folders they
 * may read. Refreshes of artifacts already added are not asked again.
 */
export class LocalSourceAccess {
  /** The first workspace never changes (workspaces are never deleted), so it is looked up once. */
  private firstWorkspaceId: string | null = null;

  constructor(
    private readonly db: Database,
    /** True when SCRIPTORIUM_LOCAL_ROOTS bounds what may be read: then any key that may write may add sources inside it. */
    private readonly rootsConfigured: boolean,
  ) {}

  /** Throws a ForbiddenError (403) unless the caller may add a source read from this server's disk. */
  async ensureMayAdd(caller: Caller): Promise<void> {
    if (this.rootsConfigured) return;
    // Scope first: only an owner key costs a look-up, and only the first time.
    if (caller.scope === "owner" && caller.workspaceId === (await this.firstWorkspace())) return;
    throw new ForbiddenError(LOCAL_SOURCES_FORBIDDEN);
  }

  /** The oldest workspace: the one bootstrap created with the first owner key. */
  private async firstWorkspace(): Promise<string | null> {
    if (this.firstWorkspaceId !== null) return this.firstWorkspaceId;
    const [first] = await this.db.select({ id: workspaces.id }).from(workspaces).orderBy(asc(workspaces.createdAt), asc(workspaces.id)).limit(1);
    this.firstWorkspaceId = first?.id ?? null;
    return this.firstWorkspaceId;
  }
}
