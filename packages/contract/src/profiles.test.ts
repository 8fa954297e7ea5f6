import { describe, expect, it } from "vitest";
import { ARTIFACT_TYPES } from "./values";
import { DEPLOY_PROFILES, DEPLOY_SCOPES, layoutArtifact, LayoutRefusal, lockFilePath, PROFILES, type LayoutInput } from "./profiles";

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function input(overrides: Partial<LayoutInput> & Pick<LayoutInput, "type" | "files">): LayoutInput {
  return { profile: "claude_code", scope: "project", name: "demo", ...overrides };
}

function files(entries: Record<string, string>): LayoutInput["files"] {
  return Object.entries(entries).map(([path, text]) => ({ path, content: encode(text) }));
}

describe("deployment profiles", () => {
  it("gives every profile a place or a reason for every type in both scopes", () => {
    for (const profile of DEPLOY_PROFILES) {
      for (const type of ARTIFACT_TYPES) {
        for (const scope of DEPLOY_SCOPES) {
          const placement = PROFILES[profile].placements[type][scope];
          if (placement.kind === "refused") expect(placement.reason.length).toBeGreaterThan(10);
        }
      }
    }
    expect(lockFilePath("claude_code")).toBe(".claude/scriptorium.lock.json");
    expect(lockFilePath("codex")).toBe(".codex/scriptorium.lock.json");
  });

  it("places a skill's files under .claude/skills/<name>/ and a lone Markdown file as SKILL.md", () => {
    const many = layoutArtifact(input({ type: "skill", files: files({ "SKILL.md": "# s", "scripts/run.sh": "echo" }) }));
    expect(many.files.map((file) => file.path)).toEqual([".claude/skills/demo/SKILL.md", ".claude/skills/demo/scripts/run.sh"]);
    const lone = layoutArtifact(input({ type: "skill", files: files({ "demo.md": "# s" }) }));
    expect(lone.files).toMatchObject([{ path: ".claude/skills/demo/SKILL.md", source: "demo.md", verbatim: true }]);
  });

  it("deploys a command as one file and refuses one with several, naming them", () => {
    expect(layoutArtifact(input({ type: "command", files: files({ "x.md": "hi" }) })).files[0]?.path).toBe(".claude/commands/demo.md");
    expect(() => layoutArtifact(input({ type: "agent", files: files({ "a.md": "", "b.md": "" }) }))).toThrow(/2 files \(a\.md, b\.md\)/);
  });

  it("merges hooks into settings.json with commands pointing at the deployed scripts", () => {
    const hooksJson = JSON.stringify({
      hooks: {
        PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "./scripts/guard.sh --strict" }] }],
        Stop: [{ hooks: [{ type: "command", command: 'bash "${CLAUDE_PLUGIN_ROOT}/scripts/guard.sh"' }, { type: "command", command: "echo done" }] }],
      },
    });
    const layout = layoutArtifact(input({ type: "hook", files: files({ "hooks.json": hooksJson, "scripts/guard.sh": "#!/bin/sh" }) }));
    expect(layout.files.map((file) => file.path)).toEqual([".claude/hooks/demo/scripts/guard.sh"]);
    expect(layout.merges).toEqual([
      {
        file: ".claude/settings.json",
        format: "json",
        pointer: ["hooks", "PreToolUse"],
        mode: "append",
        value: { matcher: "Bash", hooks: [{ type: "command", command: '"$CLAUDE_PROJECT_DIR"/.claude/hooks/demo/scripts/guard.sh --strict' }] },
      },
      {
        file: ".claude/settings.json",
        format: "json",
        pointer: ["hooks", "Stop"],
        mode: "append",
        value: {
          hooks: [
            { type: "command", command: 'bash "$CLAUDE_PROJECT_DIR"/.claude/hooks/demo/scripts/guard.sh' },
            { type: "command", command: "echo done" },
          ],
        },
      },
    ]);
    const user = layoutArtifact(input({ type: "hook", scope: "user", userRoot: "/home/ada b", files: files({ "hooks.json": hooksJson, "scripts/guard.sh": "" }) }));
    expect((user.merges[0]?.value as { hooks: { command: string }[] }).hooks[0]?.command).toBe("'/home/ada b/.claude/hooks/demo/scripts/guard.sh' --strict");
  });

  it("reads an MCP server by the artifact's name or as the only entry, and spells it per tool", () => {
    const mcp = files({ ".mcp.json": JSON.stringify({ mcpServers: { other: { command: "x" }, demo: { type: "http", url: "https://m.example/mcp", headers: { A: "1" } } } }) });
    expect(layoutArtifact(input({ type: "mcp", files: mcp })).merges).toEqual([
      { file: ".mcp.json", format: "json", pointer: ["mcpServers", "demo"], mode: "set", value: { type: "http", url: "https://m.example/mcp", headers: { A: "1" } } },
    ]);
    expect(layoutArtifact(input({ type: "mcp", scope: "user", files: mcp })).merges[0]?.file).toBe(".claude.json");
    expect(layoutArtifact(input({ type: "mcp", profile: "codex", files: mcp })).merges[0]).toMatchObject({
      file: ".codex/config.toml",
      format: "toml",
      pointer: ["mcp_servers", "demo"],
      value: { url: "https://m.example/mcp", http_headers: { A: "1" } },
    });
    expect(layoutArtifact(input({ type: "mcp", profile: "gemini", files: mcp })).merges[0]?.value).toEqual({ httpUrl: "https://m.example/mcp", headers: { A: "1" } });
    const bare = files({ "mcp.json": JSON.stringify({ command: "npx", args: ["srv"] }) });
    expect(layoutArtifact(input({ type: "mcp", files: bare })).merges[0]?.value).toEqual({ command: "npx", args: ["srv"] });
    const two = files({ "mcp.json": JSON.stringify({ mcpServers: { a: {}, b: {} } }) });
    expect(() => layoutArtifact(input({ type: "mcp", files: two }))).toThrow(/2 servers \(a, b\) and none is named 'demo'/);
    expect(() => layoutArtifact(input({ type: "mcp", files: files({ "mcp.json": "{ nope" }) }))).toThrow(LayoutRefusal);
  });

  it("converts a command to a Gemini CLI command file", () => {
    const layout = layoutArtifact(
      input({ profile: "gemini", type: "command", description: 'Say "hi"', files: files({ "hi.md": "---\ndescription: x\n---\nGreet $ARGUMENTS\n" }) }),
    );
    expect(layout.files[0]?.path).toBe(".gemini/commands/demo.toml");
    expect(decode(layout.files[0]?.content ?? new Uint8Array())).toBe('description = "Say \\"hi\\""\nprompt = "Greet {{args}}\\n"\n');
    expect(layout.files[0]?.verbatim).toBe(false);
  });

  it("refuses a type a tool has no place for, naming the profile and the type", () => {
    expect(() => layoutArtifact(input({ profile: "cursor", type: "hook", files: files({ "hooks.json": "{}" }) }))).toThrow(
      "hook 'demo': Cursor has no place for hook artifacts (profile cursor, project scope)",
    );
    expect(() => layoutArtifact(input({ profile: "codex", type: "command", files: files({ "a.md": "" }) }))).toThrow(/--scope user/);
    expect(layoutArtifact(input({ profile: "codex", scope: "user", type: "command", files: files({ "a.md": "" }) })).files[0]?.path).toBe(".codex/prompts/demo.md");
  });
});
