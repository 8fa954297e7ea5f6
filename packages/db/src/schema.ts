import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** Every row that holds user data belongs to exactly one workspace. */
export const workspaces = pgTable("workspaces", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    scope: text("scope", { enum: ["read", "write", "admin", "owner"] }).notNull(),
    /** The first characters of the key, shown in listings so people can recognise it. */
    prefix: text("prefix").notNull(),
    /** SHA-256 of the whole key; the key itself is never stored. */
    keyHash: text("key_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("api_keys_key_hash_idx").on(table.keyHash),
    index("api_keys_workspace_idx").on(table.workspaceId),
    check("api_keys_scope_check", sql`${table.scope} in ('read', 'write', 'admin', 'owner')`),
  ],
);

export type WorkspaceRow = typeof workspaces.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;

export const ARTIFACT_TYPES = ["skill", "command", "agent", "hook", "mcp", "workflow"] as const;
export type ArtifactType = (typeof ARTIFACT_TYPES)[number];

/** Where an artifact was copied from. */
export type ArtifactSource =
  | { kind: "local"; path: string }
  | { kind: "git"; url: string; path: string; ref: string | null }
  | { kind: "github"; repo: string; path: string; ref: string | null };

export interface ArtifactMetadata {
  title: string | null;
  description: string | null;
  author: string | null;
  license: string | null;
  version: string | null;
  tags: string[];
  tools: string[];
}

/** One stored file of an artifact; its bytes live in the content-addressed blob store. */
export interface StoredFile {
  path: string;
  sha256: string;
  size: number;
  executable: boolean;
}

export const collections = pgTable(
  "collections",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("collections_workspace_name_idx").on(table.workspaceId, table.name)],
);

export const artifacts = pgTable(
  "artifacts",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    collectionId: text("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    type: text("type", { enum: ARTIFACT_TYPES }).notNull(),
    name: text("name").notNull(),
    source: jsonb("source").$type<ArtifactSource>().notNull(),
    /** Branch, tag or commit followed upstream; null follows the remote's default branch. */
    trackedRef: text("tracked_ref"),
    /** The commit (git) or content hash (local) the stored copy came from. */
    resolvedVersion: text("resolved_version").notNull(),
    /** The upstream object the stored copy came from (git tree or blob id); null for local sources. */
    upstreamObject: text("upstream_object"),
    contentHash: text("content_hash").notNull(),
    files: jsonb("files").$type<StoredFile[]>().notNull(),
    metadata: jsonb("metadata").$type<ArtifactMetadata>().notNull(),
    addedAt: timestamp("added_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    refreshedAt: timestamp("refreshed_at", { withTimezone: true, mode: "date" }),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("artifacts_collection_type_name_idx").on(table.collectionId, table.type, table.name),
    index("artifacts_workspace_idx").on(table.workspaceId),
  ],
);

/** The state of some artifacts just before a refresh changed them; rollback restores it. */
export const snapshots = pgTable(
  "snapshots",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    collectionId: text("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    mode: text("mode").notNull(),
    requestId: text("request_id").notNull(),
    artifacts: jsonb("artifacts").$type<SnapshotArtifact[]>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (table) => [index("snapshots_collection_idx").on(table.collectionId, table.createdAt)],
);

/** A whole artifact row as kept in a snapshot (timestamps as ISO strings), so rollback can restore it exactly. */
export interface SnapshotArtifact {
  id: string;
  type: ArtifactType;
  name: string;
  source: ArtifactSource;
  trackedRef: string | null;
  resolvedVersion: string;
  upstreamObject: string | null;
  contentHash: string;
  files: StoredFile[];
  metadata: ArtifactMetadata;
  addedAt: string;
  refreshedAt: string | null;
  updatedAt: string;
}

export type CollectionRow = typeof collections.$inferSelect;
export type ArtifactRow = typeof artifacts.$inferSelect;
export type SnapshotRow = typeof snapshots.$inferSelect;
