import { describe, expect, it } from "vitest";
import { isActiveJobStatus, PROJECT_STATUSES } from "./jobs";

describe("isActiveJobStatus", () => {
  it("holds the project while queued, running or paused only", () => {
    expect(PROJECT_STATUSES.filter(isActiveJobStatus)).toEqual(["queued", "running", "paused"]);
  });
});
