import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";

describe("SCRIPTORIUM_LOCAL_ROOTS", () => {
  const rootsOf = (value: string | undefined) => loadConfig({ NODE_ENV: "test", SCRIPTORIUM_LOCAL_ROOTS: value }, null).localRoots;

  it("is unset by default, and empty counts as unset: any folder but the data directory", () => {
    expect(rootsOf(undefined)).toBeNull();
    expect(rootsOf("")).toBeNull();
  });

  it("reads a :-separated list of absolute folders, normalised", () => {
    expect(rootsOf("/srv/skills")).toEqual(["/srv/skills"]);
    expect(rootsOf("/srv/skills/:/home/team/agents/../shared")).toEqual(["/srv/skills", "/home/team/shared"]);
  });

  it("stops the start on a relative or empty entry, naming the variable and the entry", () => {
    expect(() => rootsOf("/srv/skills:skills")).toThrow('Invalid configuration: SCRIPTORIUM_LOCAL_ROOTS must list absolute folders separated by ":" ("skills" is not absolute)');
    expect(() => rootsOf("./skills")).toThrow('("./skills" is not absolute)');
    expect(() => rootsOf("/srv/skills:")).toThrow("(it has an empty entry)");
    expect(() => rootsOf("/srv/skills::/srv/agents")).toThrow("(it has an empty entry)");
  });
});
