import { hostname } from "node:os";
import { TRPCClientError } from "@scriptorium/client";
import type { DeploymentStatus, DeployProfile, DeployScope } from "@scriptorium/contract";
import { translateError, type Api } from "../api";
import { note, warn } from "../output";
import { sha256 } from "./files";

/**
 * Tells the server what a target holds after a deploy, update, status,
 * push or undeploy: `POST /api/v1/deployments` (docs/deployments.md, "What
 * the server records"), through `deployments.report`. Reporting never fails a command: a server without
 * the route, a read-only key or any other failure is said once on stderr.
 */

export interface ReportedArtifact {
  artifact_id: string;
  content_hash: string;
  status: DeploymentStatus;
}

export interface ReportOptions {
  /** `--no-report`: send nothing. */
  report: boolean;
  /** `--report-path`: send the host name and the target's absolute path too. */
  reportPath?: boolean;
}

/** The target's identity on the server: a hash of host name, absolute path and profile, so that neither is sent unless asked. */
export function targetHash(root: string, profile: DeployProfile): string {
  return sha256(`${hostname()}\n${root}\n${profile}`);
}

export class Reporter {
  private said = false;

  constructor(private readonly options: ReportOptions) {}

  private sayOnce(text: string, asWarning = false): void {
    if (this.said) return;
    this.said = true;
    if (asWarning) warn(text);
    else note(text);
  }

  /** Sends what the target holds; `artifacts` is asked for only when reporting is on. */
  async report(connect: () => Promise<Api>, target: { root: string; profile: DeployProfile; scope: DeployScope }, artifacts: () => Promise<ReportedArtifact[]>): Promise<void> {
    if (!this.options.report) return;
    let url = "the server";
    try {
      const api = await connect();
      url = api.connection.url;
      await api.client.deployments.report.mutate({
        target: targetHash(target.root, target.profile),
        profile: target.profile,
        scope: target.scope,
        ...(this.options.reportPath ? { host: hostname(), path: target.root } : {}),
        artifacts: await artifacts(),
      });
    } catch (error) {
      const status = error instanceof TRPCClientError ? (error.data as { httpStatus?: number } | undefined)?.httpStatus : undefined;
      // tRPC's answer for a procedure the server does not have (an older server), as opposed to a 404 about what was sent.
      if (status === 404 && error instanceof Error && /No procedure found/i.test(error.message)) {
        return this.sayOnce("This server does not record deployments; nothing was reported.");
      }
      if (status === 403) return this.sayOnce("This key is read-only: the deployment was not reported to the server (--no-report keeps this quiet).");
      this.sayOnce(`The deployment could not be reported to the server: ${translateError(error, url).message}`, true);
    }
  }
}
