import type { ArtifactSource, ArtifactType } from "@scriptorium/contract";
import type { GitCache } from "../git";
import { GitSource, type GitRevision } from "./git-source";
import { absoluteRules, type LocalSourceRules } from "./local-bounds";
import type { UpstreamListing } from "./listing";
import { LocalSource, type LocalRevision } from "./local-source";
import { UpstreamError } from "./upstream-source";

/** One version of one upstream: a git commit with its tree, or the local filesystem as it is now. */
export type Revision = GitRevision | LocalRevision;

function localRevision(revision: Revision): LocalRevision {
  if (revision.kind !== "local") throw new UpstreamError("A local source needs a local revision.");
  return revision;
}

function gitRevision(revision: Revision): GitRevision {
  if (revision.kind !== "git") throw new UpstreamError("A git source needs a git revision.");
  return revision;
}

/**
 * Reads artifacts from where they came from, through the source their
 * `kind` names: local folders as they are (LocalSource); git and GitHub
 * repositories through the git cache, at one resolved commit (GitSource).
 */
export class UpstreamReader {
  private readonly local: LocalSource;
  private readonly remote: GitSource;

  constructor(
    readonly git: GitCache,
    rules: LocalSourceRules,
  ) {
    const absolute = absoluteRules(rules);
    this.local = new LocalSource(absolute);
    this.remote = new GitSource(git, absolute);
  }

  /** The key that groups artifacts read from the same upstream at the same ref. */
  key(source: ArtifactSource): string {
    return source.kind === "local" ? this.local.key() : this.remote.key(source);
  }

  /**
   * The folder or file on this server's disk a source reads (a local path,
   * or a `file://` repository), once it is known to be allowed as written;
   * null for a source read over the network. Nothing at the path is looked
   * up, so a refusal says the same whether or not anything is there.
   */
  async serverDiskPath(source: ArtifactSource): Promise<string | null> {
    return source.kind === "local" ? this.local.allowedPath(source) : this.remote.allowedPath(source);
  }

  async revision(source: ArtifactSource): Promise<Revision> {
    return source.kind === "local" ? this.local.revision() : this.remote.revision(source);
  }

  /** What is at the source's path in `revision`; null when nothing is there any more. */
  async list(source: ArtifactSource, revision: Revision): Promise<UpstreamListing | null> {
    return source.kind === "local" ? this.local.list(source, localRevision(revision)) : this.remote.list(source, gitRevision(revision));
  }

  /** The artifact's main file alone, for metadata refreshes; null when the artifact is gone. */
  async readMainFile(source: ArtifactSource, revision: Revision, type: ArtifactType): Promise<Buffer | null> {
    return source.kind === "local" ? this.local.readMainFile(source, localRevision(revision), type) : this.remote.readMainFile(source, gitRevision(revision), type);
  }

  async read(source: ArtifactSource, revision: Revision, listing: UpstreamListing, only?: readonly string[]): Promise<Map<string, Buffer>> {
    return source.kind === "local" ? this.local.read(source, localRevision(revision), listing, only) : this.remote.read(source, gitRevision(revision), listing, only);
  }
}
