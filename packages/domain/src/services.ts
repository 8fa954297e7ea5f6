import { join } from "node:path";
import { EXPORT_FORMATS } from "@scriptorium/contract";
import type { Database, DatabaseHandle } from "@scriptorium/db";
import { Cluster } from "./cluster/cluster";
import { AccessService } from "./access/access-service";
import { LocalSourceAccess } from "./access/local-source-access";
import { RateLimiter } from "./access/rate-limiter";
import { DatabaseBlobStore, FileBlobStore } from "./collections/blob-store";
import { ArtifactFileService } from "./collections/artifact-files";
import { BundleService } from "./collections/bundles";
import { RefreshProgressHub } from "./collections/refresh-progress";
import { CollectionService } from "./collections/collection-service";
import { GitCache } from "./collections/git";
import { DeploymentService } from "./deployments/deployment-service";
import { ExportService } from "./exports/export-service";
import { OffloadedExporter, OffloadedOfflineWriter, type Offload } from "./offload";
import { CollectionRefresher } from "./collections/collection-refresher";
import { SnapshotService } from "./collections/snapshot-service";
import { ReviewBacklog } from "./review/review-backlog";
import { SecurityReview } from "./review/security-review";
import { UpstreamReader } from "./collections/upstream/upstream-reader";
import { JobEngine } from "./generation/job-engine";
import { JobQueue } from "./generation/job-queue";
import { EditService } from "./generation/edit-service";
import { EventBus, EventLog } from "./generation/events";
import { JobPlanner } from "./generation/job-planner";
import { OfflineWriter } from "./generation/writers/offline";
import { JobService } from "./generation/job-service";
import { ProjectService } from "./generation/project-service";
import { StageRunner } from "./generation/stage-runner";
import { createWriter, validateWriterConfig, type LlmEnvironment } from "./generation/writers/create-writer";
import type { Logger } from "./logger";

/** Every domain service, built once per process around one database. */
export interface Services {
  access: AccessService;
  rateLimiter: RateLimiter;
  collections: CollectionService;
  /** An artifact's stored files: read, edited, and any version the collection held, by hash. */
  files: ArtifactFileService;
  /** Artifacts and collections as tar.gz bundles. */
  bundles: BundleService;
  /** Reviews artifacts stored before the security review existed; the server and workers start it. */
  reviewBacklog: ReviewBacklog;
  refresher: CollectionRefresher;
  /** Live progress of refreshes started with a progress token. */
  refreshProgress: RefreshProgressHub;
  snapshots: SnapshotService;
  /** Where the workspace's artifacts are deployed, as the command line reports it. */
  deployments: DeploymentService;
  projects: ProjectService;
  jobs: JobService;
  /** What a start would run and cost, before it is made. */
  plans: JobPlanner;
  /** Planning stages and scenes changed by the writer's hand, and their versions. */
  edits: EditService;
  engine: JobEngine;
  exports: ExportService;
  /** Messages to and from the other processes on the same PostgreSQL; inert with the embedded database. */
  cluster: Cluster;
}

export interface ServiceOptions {
  /** Holds the artifact blob store, the git cache and the export files; local sources may never read it. */
  dataDir: string;
  /**
   * Folders local sources (and `file://` git repositories) must lie in,
   * compared by real path; any key that may write may add sources inside
   * them. Default: any folder but the data directory, and only owner keys of
   * the first workspace may add such sources.
   */
  localRoots?: readonly string[] | undefined;
  log: Logger;
  githubToken?: string | undefined;
  /** Where GitHub sources are fetched from; tests point it at local repositories. */
  githubBaseUrl?: string | undefined;
  /** How long one git command may run before it is stopped. Default 60 000; tests shorten it. */
  gitTimeoutMs?: number | undefined;
  /** Generation jobs this process runs at once; 0 for an API-only node. Default 2. */
  workers?: number | undefined;
  /** A claim lasts this long without a heartbeat: a dead worker's job moves on after at most this. Default 15. */
  jobLeaseSeconds?: number | undefined;
  /** True for the embedded database, which no other process can open. Default false. */
  exclusiveDatabase?: boolean | undefined;
  /**
   * How this process hears the others sharing its PostgreSQL database (API
   * nodes and workers): live events, pauses and cancels, queued jobs,
   * refresh locks. Unset for the embedded database, which one process owns.
   */
  listen?: DatabaseHandle["listen"] | undefined;
  /** Requests each API key may make per minute (bursts up to that many); 0 turns limiting off. Default 6000. */
  requestsPerMinute?: number | undefined;
  /** LLM provider keys and the OpenAI-compatible server's URL. Default: none. */
  llm?: LlmEnvironment | undefined;
  /** Keep artifact contents and exports in the database (PostgreSQL, shared by every node) rather than in the data directory. Default false. */
  filesInDatabase?: boolean | undefined;
  /** Review every stored and incoming artifact file (docs/security-review.md). Default true; false only to measure what the review costs. */
  securityReview?: boolean | undefined;
  /** Where export builds and the offline writer's stages run. Default: on the calling thread. */
  offload?: Offload | undefined;
}

const DEFAULT_JOB_LEASE_SECONDS = 15;
const DEFAULT_REQUESTS_PER_MINUTE = 6_000;
const JOB_POLL_INTERVAL_MS = 1_000;

export function createServices(db: Database, options: ServiceOptions): Services {
  const localFiles = new FileBlobStore(join(options.dataDir, "blobs"));
  // With PostgreSQL, files live in the database (every node reads them) and the data directory is each node's cache.
  const store = options.filesInDatabase ? new DatabaseBlobStore(db, localFiles) : localFiles;
  const git = new GitCache(join(options.dataDir, "git"), {
    githubBaseUrl: options.githubBaseUrl ?? "https://github.com",
    githubToken: options.githubToken,
    timeoutMs: options.gitTimeoutMs,
  });
  const upstream = new UpstreamReader(git, { dataDir: options.dataDir, roots: options.localRoots });
  const exportsDir = join(options.dataDir, "exports");
  const cluster = new Cluster(options.listen ?? null);
  const events = new EventLog(db, new EventBus(), cluster);
  const projects: ProjectService = new ProjectService(
    db,
    (writer) => validateWriterConfig(writer, options.llm ?? {}),
    events,
    (projectId): Promise<void> => exports.removeProjectFiles(projectId),
  );
  const offload = options.offload;
  const exports: ExportService = new ExportService(
    db,
    projects,
    exportsDir,
    offload ? EXPORT_FORMATS.map((format) => new OffloadedExporter(format, offload)) : undefined,
    options.filesInDatabase ? store : null,
  );
  const review = new SecurityReview(options.securityReview ?? true);
  const queue = new JobQueue(db, events, options.jobLeaseSeconds ?? DEFAULT_JOB_LEASE_SECONDS);
  const runner = new StageRunner(
    db,
    queue,
    (writer) => (writer.provider === "offline" && offload ? new OffloadedOfflineWriter(offload) : createWriter(writer, options.llm ?? {})),
    offload,
  );
  const engine = new JobEngine(queue, runner, options.log, {
    workers: options.workers ?? 2,
    pollIntervalMs: JOB_POLL_INTERVAL_MS,
    exclusive: options.exclusiveDatabase ?? false,
  }, cluster);
  return {
    access: new AccessService(db),
    rateLimiter: new RateLimiter(options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE),
    collections: new CollectionService(db, store, upstream, new LocalSourceAccess(db, options.localRoots !== undefined), review),
    files: new ArtifactFileService(db, store, review),
    bundles: new BundleService(db, store),
    reviewBacklog: new ReviewBacklog(db, store, review),
    refresher: new CollectionRefresher(db, store, upstream, options.log, cluster, review, offload),
    refreshProgress: new RefreshProgressHub(db, cluster),
    snapshots: new SnapshotService(db),
    deployments: new DeploymentService(db),
    projects,
    jobs: new JobService(db, projects, events, engine, cluster),
    plans: new JobPlanner(db, projects, offload ? new OffloadedOfflineWriter(offload) : new OfflineWriter()),
    edits: new EditService(db, projects, events),
    engine,
    exports,
    cluster,
  };
}
