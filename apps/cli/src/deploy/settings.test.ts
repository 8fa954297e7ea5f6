import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalJson, loadSettings, SettingsProblem, valueHash } from "./settings";

const root = mkdtempSync(join(tmpdir(), "scriptorium-settings-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(name: string, text: string): string {
  mkdirSync(join(root, name, ".."), { recursive: true });
  writeFileSync(join(root, name), text);
  return name;
}

describe("JSON settings", () => {
  it("hashes values by their canonical JSON, whatever the key order", () => {
    expect(canonicalJson({ b: [1, { d: 2, c: null }], a: "x" })).toBe('{"a":"x","b":[1,{"c":null,"d":2}]}');
    expect(valueHash({ a: 1, b: 2 })).toBe(valueHash({ b: 2, a: 1 }));
  });

  it("adds entries beside the user's own, in the file's indentation, and says which containers it made", async () => {
    const text = '{\n\t"hooks": {\n\t\t"Stop": []\n\t}\n}';
    const settings = await loadSettings(root, file("tabs.json", text), "json");
    expect(settings.append(["hooks", "Stop"], { hooks: [] })).toEqual([]);
    expect(settings.append(["hooks", "PreToolUse"], { matcher: "Bash" })).toEqual([["hooks", "PreToolUse"]]);
    expect(settings.text()).toBe('{\n\t"hooks": {\n\t\t"Stop": [\n\t\t\t{\n\t\t\t\t"hooks": []\n\t\t\t}\n\t\t],\n\t\t"PreToolUse": [\n\t\t\t{\n\t\t\t\t"matcher": "Bash"\n\t\t\t}\n\t\t]\n\t}\n}');
    expect(settings.removeElement(["hooks", "PreToolUse"], valueHash({ matcher: "Bash" }))).toBe(true);
    expect(settings.removeIfEmpty(["hooks", "PreToolUse"])).toBe(true);
    expect(settings.removeElement(["hooks", "Stop"], valueHash({ hooks: [] }))).toBe(true);
    expect(settings.text()).toBe(text);
  });

  it("makes a missing file, and removes it once what it made is empty again", async () => {
    const settings = await loadSettings(root, ".mcp.json", "json");
    expect(settings.set(["mcpServers", "srv"], { command: "x" })).toEqual([[], ["mcpServers"]]);
    expect(settings.text()).toBe('{\n  "mcpServers": {\n    "srv": {\n      "command": "x"\n    }\n  }\n}\n');
    settings.remove(["mcpServers", "srv"]);
    expect(settings.removeIfEmpty(["mcpServers"])).toBe(true);
    expect(settings.removeIfEmpty([])).toBe(true);
    expect(settings.text()).toBeNull();
  });

  it("refuses a file that is not a JSON object, and a key path through something that is not an object", async () => {
    await expect(loadSettings(root, file("broken.json", "{ nope"), "json")).rejects.toThrow(/broken\.json is not valid JSON/);
    await expect(loadSettings(root, file("list.json", "[]"), "json")).rejects.toThrow(SettingsProblem);
    const settings = await loadSettings(root, file("odd.json", '{ "hooks": 3 }'), "json");
    expect(() => settings.append(["hooks", "Stop"], {})).toThrow(/hooks is not an object/);
  });
});

describe("TOML settings", () => {
  const user = '# mine\nmodel = "o3"\n\n[mcp_servers.other]\ncommand = "other"\n';

  it("appends a table, with a header even when it holds only tables, and cuts it out to the byte", async () => {
    const settings = await loadSettings(root, file("config.toml", user), "toml");
    expect(settings.set(["mcp_servers", "my srv"], { env: { A: "1" } })).toEqual([]);
    expect(settings.text()).toBe(`${user}\n[mcp_servers."my srv"]\n[mcp_servers."my srv".env]\nA = "1"\n`);
    expect(settings.get(["mcp_servers", "my srv"])).toEqual({ env: { A: "1" } });
    settings.remove(["mcp_servers", "my srv"]);
    expect(settings.text()).toBe(user);
  });

  it("keeps what the user wrote after the table, and refuses what it cannot cut out cleanly", async () => {
    const settings = await loadSettings(root, file("later.toml", user), "toml");
    settings.set(["mcp_servers", "srv"], { command: "npx", args: ["-y", "srv@1"] });
    const later = `${settings.text() ?? ""}\n# added later\n[profiles.fast]\nmodel = "o4-mini"\n`;
    const edited = await loadSettings(root, file("later.toml", later), "toml");
    edited.remove(["mcp_servers", "srv"]);
    expect(edited.text()).toBe(`${user}\n# added later\n[profiles.fast]\nmodel = "o4-mini"\n`);
    const inline = await loadSettings(root, file("inline.toml", 'mcp_servers = { srv = { command = "x" } }\n'), "toml");
    expect(() => inline.remove(["mcp_servers", "srv"])).toThrow(/cannot cut out cleanly/);
    await expect(loadSettings(root, file("bad.toml", "a = ["), "toml")).rejects.toThrow(/bad\.toml is not valid TOML/);
  });
});
