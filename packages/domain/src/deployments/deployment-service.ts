import { randomUUID } from "node:crypto";
import { and, asc, count, eq, exists, inArray, sql, type SQL } from "drizzle-orm";
import { DEPLOYMENT_STATUSES, type ArtifactType, type DeploymentStatus, type DeployProfile, type DeployScope } from "@scriptorium/contract";
import { artifacts, collections, deploymentArtifacts, deployments, type Database, type DeploymentRow } from "@scriptorium/db";
import { InvalidError, NotFoundError } from "../errors";
import { Keyset, type Page, type PageRequest } from "../paging";

/** Most recently heard from first: the targets someone is working in now lead the list. */
const BY_LAST_REPORT = new Keyset("deployments:reported_at:desc", deployments.reportedAt, deployments.id, "desc");

/** Rows written per INSERT of a report's artifacts: well under PostgreSQL's parameter limit. */
const INSERT_BATCH_ROWS = 1_000;

/** Unknown artifacts named in a refusal's message; `fields` lists every one. */
const UNKNOWN_NAMED_IN_MESSAGE = 5;

/** What one target holds from the workspace, as the command line reports it after a deploy, update, status or undeploy. */
export interface DeploymentReport {
  target: string;
  profile: DeployProfile;
  scope: DeployScope;
  host?: string | undefined;
  path?: string | undefined;
  artifacts: { artifactId: string; contentHash: string; status: DeploymentStatus }[];
}

/** One artifact of a target: what was deployed, what the target said of it, and where it stands against the collection now. */
export interface DeployedArtifact {
  artifactId: string;
  collectionId: string;
  /** Null once the artifact is gone from the collection. */
  type: ArtifactType | null;
  name: string | null;
  /** The collection's content hash of what was deployed. */
  contentHash: string;
  /** The collection's content hash now; null once the artifact is gone. */
  currentContentHash: string | null;
  reportedStatus: DeploymentStatus;
  status: DeploymentStatus;
  /** The collection holds other content than what was deployed. */
  behind: boolean;
}

export interface Deployment extends DeploymentRow {
  /** Every artifact the target holds, whatever a filter picked. */
  artifactCount: number;
  /** The target's artifacts, or those a filter asked for. */
  artifacts: DeployedArtifact[];
}

export interface DeploymentQuery extends PageRequest {
  collectionId?: string | undefined;
  artifactId?: string | undefined;
}

/** How many targets hold one artifact of a collection, by where it stands in each now. */
export interface ArtifactDeployments {
  artifactId: string;
  targets: number;
  statuses: Record<DeploymentStatus, number>;
}

/**
 * Where a deployed artifact stands now: the local state the target last
 * reported, combined with the collection as it is at this moment, so that
 * an edit or a sync in the collection after the report shows without a new
 * one. `current` becomes `behind` once the collection's content moved on,
 * and `modified` becomes `diverged` (`behind` and `diverged` go back when
 * it moves back, as after a rollback); `conflict` and `missing` are local
 * states that stand whatever the collection holds; an artifact deleted from
 * the collection is `removed`.
 */
export function deploymentStatusNow(reported: DeploymentStatus, artifactExists: boolean, collectionMovedOn: boolean): DeploymentStatus {
  if (!artifactExists) return "removed";
  if (reported === "conflict" || reported === "missing") return reported;
  if (reported === "modified" || reported === "diverged") return collectionMovedOn ? "diverged" : "modified";
  return collectionMovedOn ? "behind" : "current";
}

/** The artifact as the collection holds it now, joined to a recorded one; no row once it is deleted. */
const currentArtifact = (workspaceId: string) => and(eq(artifacts.id, deploymentArtifacts.artifactId), eq(artifacts.workspaceId, workspaceId));

/**
 * The server's record of where the workspace's artifacts are deployed, kept
 * from the command line's reports; it never touches a target itself.
 */
export class DeploymentService {
  constructor(private readonly db: Database) {}

  /**
   * Records what a target holds, replacing its previous report; an empty
   * report deletes the target's record (null). Every artifact must be known
   * to the workspace: one of its artifacts, or one a deployment of the
   * workspace recorded before it was deleted (its collection is taken from
   * that record). An unknown artifact reported as `removed` is left out,
   * since there is nothing to say about it; any other is refused with 422.
   */
  async report(workspaceId: string, report: DeploymentReport): Promise<Deployment | null> {
    const id = await this.db.transaction(async (tx) => {
      const collectionOf = await this.knownArtifacts(tx, workspaceId, report.artifacts.map((artifact) => artifact.artifactId));
      const unknown = report.artifacts.flatMap((artifact, index) => (collectionOf.has(artifact.artifactId) || artifact.status === "removed" ? [] : [{ ...artifact, index }]));
      if (unknown.length > 0) {
        const why = "no artifact of this workspace has this id";
        const named = unknown.slice(0, UNKNOWN_NAMED_IN_MESSAGE).map((artifact) => `artifacts.${artifact.index}.artifact_id (${artifact.artifactId})`);
        const more = unknown.length > named.length ? ` and ${unknown.length - named.length} more` : "";
        throw new InvalidError(
          `Invalid input — ${named.join(", ")}${more}: ${why}`,
          unknown.map((artifact) => ({ path: ["artifacts", artifact.index, "artifact_id"], message: why })),
        );
      }
      const rows = report.artifacts.flatMap((artifact) => {
        const collectionId = collectionOf.get(artifact.artifactId);
        return collectionId === undefined ? [] : [{ artifactId: artifact.artifactId, collectionId, contentHash: artifact.contentHash, status: artifact.status }];
      });

      const [existing] = await tx.select().from(deployments).where(and(eq(deployments.workspaceId, workspaceId), eq(deployments.target, report.target)));
      if (rows.length === 0) {
        if (existing) await tx.delete(deployments).where(eq(deployments.id, existing.id));
        return null;
      }
      const fields = { profile: report.profile, scope: report.scope, host: report.host ?? null, path: report.path ?? null };
      const previous = existing
        ? await tx.select().from(deploymentArtifacts).where(eq(deploymentArtifacts.deploymentId, existing.id))
        : [];
      const changed =
        !existing ||
        existing.profile !== fields.profile ||
        existing.scope !== fields.scope ||
        existing.host !== fields.host ||
        existing.path !== fields.path ||
        !sameArtifacts(previous, rows);
      const now = new Date();
      // An upsert, so that two first reports of one target at once make one record.
      const [saved] = await tx
        .insert(deployments)
        .values({ id: randomUUID(), workspaceId, target: report.target, ...fields, createdAt: now, reportedAt: now, updatedAt: now })
        .onConflictDoUpdate({ target: [deployments.workspaceId, deployments.target], set: { ...fields, reportedAt: now, ...(changed ? { updatedAt: now } : {}) } })
        .returning({ id: deployments.id });
      if (!saved) throw new Error("Recording a deployment returned no row.");
      if (changed) {
        await tx.delete(deploymentArtifacts).where(eq(deploymentArtifacts.deploymentId, saved.id));
        for (let start = 0; start < rows.length; start += INSERT_BATCH_ROWS) {
          await tx.insert(deploymentArtifacts).values(rows.slice(start, start + INSERT_BATCH_ROWS).map((row) => ({ deploymentId: saved.id, ...row })));
        }
      }
      return saved.id;
    });
    if (id === null) return null;
    const [row] = await this.db.select({ deployment: deployments, artifactCount: artifactCountOf() }).from(deployments).where(eq(deployments.id, id));
    if (!row) throw new NotFoundError("Deployment", id);
    return (await this.withArtifacts(workspaceId, [row], undefined))[0] ?? null;
  }

  /**
   * The workspace's targets, most recently heard from first, a page at a
   * time; with a collection or an artifact, only the targets holding it,
   * each listing only the matching artifacts. Statuses are computed now,
   * against the collection's current content.
   */
  async list(workspaceId: string, query: DeploymentQuery = {}): Promise<Page<Deployment>> {
    if (query.collectionId !== undefined) await this.ensureKnown(workspaceId, "Collection", query.collectionId);
    if (query.artifactId !== undefined) await this.ensureKnown(workspaceId, "Artifact", query.artifactId);
    const matching = and(
      query.collectionId !== undefined ? eq(deploymentArtifacts.collectionId, query.collectionId) : undefined,
      query.artifactId !== undefined ? eq(deploymentArtifacts.artifactId, query.artifactId) : undefined,
    );
    const limit = Keyset.limitOf(query);
    const rows = await this.db
      .select({ deployment: deployments, artifactCount: artifactCountOf(), cursorKey: BY_LAST_REPORT.keyText() })
      .from(deployments)
      .where(
        and(
          eq(deployments.workspaceId, workspaceId),
          matching ? exists(this.db.select({ one: sql`1` }).from(deploymentArtifacts).where(and(eq(deploymentArtifacts.deploymentId, deployments.id), matching))) : undefined,
          BY_LAST_REPORT.after(query.cursor),
        ),
      )
      .orderBy(...BY_LAST_REPORT.orderBy())
      .limit(limit + 1);
    const page = BY_LAST_REPORT.page(rows, limit, (row) => row.deployment.id, (row) => row);
    return { ...page, items: await this.withArtifacts(workspaceId, page.items, matching) };
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    const deleted = await this.db
      .delete(deployments)
      .where(and(eq(deployments.workspaceId, workspaceId), eq(deployments.id, id)))
      .returning({ id: deployments.id });
    if (deleted.length === 0) throw new NotFoundError("Deployment", id);
  }

  /**
   * For each artifact of a collection deployed anywhere, how many targets
   * hold it and where it stands in them now: one grouped query, however
   * many targets there are, for the collection page's indicators.
   */
  async summary(workspaceId: string, collectionId: string): Promise<ArtifactDeployments[]> {
    const [collection] = await this.db
      .select({ id: collections.id })
      .from(collections)
      .where(and(eq(collections.workspaceId, workspaceId), eq(collections.id, collectionId)));
    if (!collection) throw new NotFoundError("Collection", collectionId);
    const artifactExists = sql<boolean>`${artifacts.id} is not null`;
    const movedOn = sql<boolean>`coalesce(${artifacts.contentHash} <> ${deploymentArtifacts.contentHash}, false)`;
    const groups = await this.db
      .select({ artifactId: deploymentArtifacts.artifactId, reported: deploymentArtifacts.status, artifactExists, movedOn, targets: count() })
      .from(deploymentArtifacts)
      .innerJoin(deployments, eq(deployments.id, deploymentArtifacts.deploymentId))
      .leftJoin(artifacts, currentArtifact(workspaceId))
      .where(and(eq(deployments.workspaceId, workspaceId), eq(deploymentArtifacts.collectionId, collectionId)))
      .groupBy(deploymentArtifacts.artifactId, deploymentArtifacts.status, artifactExists, movedOn)
      .orderBy(asc(deploymentArtifacts.artifactId));
    const byArtifact = new Map<string, ArtifactDeployments>();
    for (const group of groups) {
      let summary = byArtifact.get(group.artifactId);
      if (!summary) {
        summary = { artifactId: group.artifactId, targets: 0, statuses: Object.fromEntries(DEPLOYMENT_STATUSES.map((status) => [status, 0])) as Record<DeploymentStatus, number> };
        byArtifact.set(group.artifactId, summary);
      }
      summary.targets += group.targets;
      summary.statuses[deploymentStatusNow(group.reported, group.artifactExists, group.movedOn)] += group.targets;
    }
    return [...byArtifact.values()];
  }

  /**
   * The collection of each id the workspace knows: from its artifacts, or,
   * for one deleted since, from a deployment that recorded it. Ids it does
   * not know are absent, whether they never existed or are another
   * workspace's.
   */
  private async knownArtifacts(tx: Database, workspaceId: string, ids: string[]): Promise<Map<string, string>> {
    const known = new Map<string, string>();
    if (ids.length === 0) return known;
    const current = await tx
      .select({ id: artifacts.id, collectionId: artifacts.collectionId })
      .from(artifacts)
      .where(and(eq(artifacts.workspaceId, workspaceId), inArray(artifacts.id, ids)));
    for (const artifact of current) known.set(artifact.id, artifact.collectionId);
    const deleted = ids.filter((id) => !known.has(id));
    if (deleted.length > 0) {
      const recorded = await tx
        .selectDistinct({ id: deploymentArtifacts.artifactId, collectionId: deploymentArtifacts.collectionId })
        .from(deploymentArtifacts)
        .innerJoin(deployments, eq(deployments.id, deploymentArtifacts.deploymentId))
        .where(and(eq(deployments.workspaceId, workspaceId), inArray(deploymentArtifacts.artifactId, deleted)));
      for (const artifact of recorded) known.set(artifact.id, artifact.collectionId);
    }
    return known;
  }

  /**
   * A filter must name a collection or artifact the workspace has, or one a
   * deployment still records after it was deleted; anything else answers
   * 404, as everywhere, so another workspace's ids tell nothing.
   */
  private async ensureKnown(workspaceId: string, what: "Collection" | "Artifact", id: string): Promise<void> {
    const [stored] =
      what === "Collection"
        ? await this.db.select({ id: collections.id }).from(collections).where(and(eq(collections.workspaceId, workspaceId), eq(collections.id, id)))
        : await this.db.select({ id: artifacts.id }).from(artifacts).where(and(eq(artifacts.workspaceId, workspaceId), eq(artifacts.id, id)));
    if (stored) return;
    const [recorded] = await this.db
      .select({ id: deploymentArtifacts.deploymentId })
      .from(deploymentArtifacts)
      .innerJoin(deployments, eq(deployments.id, deploymentArtifacts.deploymentId))
      .where(and(eq(deployments.workspaceId, workspaceId), what === "Collection" ? eq(deploymentArtifacts.collectionId, id) : eq(deploymentArtifacts.artifactId, id)))
      .limit(1);
    if (!recorded) throw new NotFoundError(what, id);
  }

  /** The deployments with their artifacts (those `matching`, when given), each compared with the collection as it is now. */
  private async withArtifacts(workspaceId: string, rows: { deployment: DeploymentRow; artifactCount: number }[], matching: SQL | undefined): Promise<Deployment[]> {
    if (rows.length === 0) return [];
    const recorded = await this.db
      .select({ artifact: deploymentArtifacts, currentContentHash: artifacts.contentHash, type: artifacts.type, name: artifacts.name })
      .from(deploymentArtifacts)
      .leftJoin(artifacts, currentArtifact(workspaceId))
      .where(and(inArray(deploymentArtifacts.deploymentId, rows.map((row) => row.deployment.id)), matching))
      .orderBy(asc(artifacts.type), asc(artifacts.name), asc(deploymentArtifacts.artifactId));
    const byDeployment = new Map<string, DeployedArtifact[]>();
    for (const { artifact, currentContentHash, type, name } of recorded) {
      const behind = currentContentHash !== null && currentContentHash !== artifact.contentHash;
      const list = byDeployment.get(artifact.deploymentId) ?? [];
      list.push({
        artifactId: artifact.artifactId,
        collectionId: artifact.collectionId,
        type,
        name,
        contentHash: artifact.contentHash,
        currentContentHash,
        reportedStatus: artifact.status,
        status: deploymentStatusNow(artifact.status, currentContentHash !== null, behind),
        behind,
      });
      byDeployment.set(artifact.deploymentId, list);
    }
    return rows.map((row) => ({ ...row.deployment, artifactCount: row.artifactCount, artifacts: byDeployment.get(row.deployment.id) ?? [] }));
  }
}

/** Every artifact a deployment row's target holds. */
function artifactCountOf(): SQL<number> {
  return sql<number>`(select count(*)::int from ${deploymentArtifacts} where ${deploymentArtifacts.deploymentId} = ${deployments.id})`;
}

/** Whether a report says the same as the recorded artifacts (in any order). */
function sameArtifacts(
  recorded: readonly { artifactId: string; collectionId: string; contentHash: string; status: DeploymentStatus }[],
  reported: readonly { artifactId: string; collectionId: string; contentHash: string; status: DeploymentStatus }[],
): boolean {
  if (recorded.length !== reported.length) return false;
  const byId = new Map(recorded.map((artifact) => [artifact.artifactId, artifact]));
  return reported.every((artifact) => {
    const before = byId.get(artifact.artifactId);
    return before?.collectionId === artifact.collectionId && before.contentHash === artifact.contentHash && before.status === artifact.status;
  });
}
