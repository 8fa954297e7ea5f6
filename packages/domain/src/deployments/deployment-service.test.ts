import { describe, expect, it } from "vitest";
import { DEPLOYMENT_STATUSES } from "@scriptorium/contract";
import { deploymentStatusNow } from "./deployment-service";

describe("deploymentStatusNow", () => {
  it("keeps what the target reported while the collection holds what was deployed", () => {
    expect(deploymentStatusNow("current", true, false)).toBe("current");
    expect(deploymentStatusNow("modified", true, false)).toBe("modified");
    expect(deploymentStatusNow("conflict", true, false)).toBe("conflict");
    expect(deploymentStatusNow("missing", true, false)).toBe("missing");
  });

  it("turns current into behind and modified into diverged once the collection moved on", () => {
    expect(deploymentStatusNow("current", true, true)).toBe("behind");
    expect(deploymentStatusNow("behind", true, true)).toBe("behind");
    expect(deploymentStatusNow("modified", true, true)).toBe("diverged");
    expect(deploymentStatusNow("diverged", true, true)).toBe("diverged");
  });

  it("takes behind and diverged back when the collection returns to what was deployed (a rollback)", () => {
    expect(deploymentStatusNow("behind", true, false)).toBe("current");
    expect(deploymentStatusNow("diverged", true, false)).toBe("modified");
  });

  it("keeps local conflicts and deleted files whatever the collection holds", () => {
    expect(deploymentStatusNow("conflict", true, true)).toBe("conflict");
    expect(deploymentStatusNow("missing", true, true)).toBe("missing");
  });

  it("says removed for every report once the artifact is gone from the collection", () => {
    for (const reported of DEPLOYMENT_STATUSES) {
      expect(deploymentStatusNow(reported, false, false)).toBe("removed");
    }
  });

  it("compares a target that reported removed with the collection when the artifact is there after all", () => {
    expect(deploymentStatusNow("removed", true, false)).toBe("current");
    expect(deploymentStatusNow("removed", true, true)).toBe("behind");
  });
});
