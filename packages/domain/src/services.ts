import { join } from "node:path";
import type { Database } from "@scriptorium/db";
import { AccessService } from "./access/access-service";
import { BlobStore } from "./collections/blob-store";
import { CollectionService } from "./collections/collection-service";
import { GitCache } from "./collections/git";
import { CollectionRefresher } from "./collections/refresher";
import { SnapshotService } from "./collections/snapshots";
import { UpstreamReader } from "./collections/upstream";
import type { Logger } from "./logger";

/** Every domain service, built once per process around one database. */
export interface Services {
  access: AccessService;
  collections: CollectionService;
  refresher: CollectionRefresher;
  snapshots: SnapshotService;
}

export interface ServiceOptions {
  /** Holds the artifact blob store and the git cache. */
  dataDir: string;
  log: Logger;
  githubToken?: string | undefined;
  /** Where GitHub sources are fetched from; tests point it at local repositories. */
  githubBaseUrl?: string | undefined;
}

export function createServices(db: Database, options: ServiceOptions): Services {
  const store = new BlobStore(join(options.dataDir, "blobs"));
  const git = new GitCache(join(options.dataDir, "git"), {
    githubBaseUrl: options.githubBaseUrl ?? "https://github.com",
    githubToken: options.githubToken,
  });
  const upstream = new UpstreamReader(git);
  return {
    access: new AccessService(db),
    collections: new CollectionService(db, store, upstream),
    refresher: new CollectionRefresher(db, store, upstream, options.log),
    snapshots: new SnapshotService(db),
  };
}
