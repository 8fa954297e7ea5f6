import { isAbsolute, resolve } from "node:path";
import type { ArtifactSource, SourceInput } from "@scriptorium/contract";
import { InvalidError } from "../errors";

const GITHUB_REPO = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;
const GIT_URL = /^(https?|file|ssh):\/\//;

function cleanPath(path: string, what: string): string {
  const parts = path.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.some((part) => part === "..")) throw new InvalidError(`The ${what} must not contain "..".`, [{ path: ["source", "path"], message: "contains .." }]);
  return parts.join("/");
}

/**
 * Normalises a source. Short forms: an absolute path or `./relative` (resolved
 * against the server's working directory) is local; `owner/repo/path@ref`
 * (the ref after the last `@`, optional) is GitHub.
 */
export function parseSource(spec: SourceInput, cwd: string = process.cwd()): ArtifactSource {
  if (typeof spec !== "string") {
    switch (spec.kind) {
      case "local":
        if (!isAbsolute(spec.path)) throw new InvalidError("A local source's path must be absolute.", [{ path: ["source", "path"], message: "not absolute" }]);
        return { kind: "local", path: resolve(spec.path) };
      case "git":
        if (!GIT_URL.test(spec.url)) {
          throw new InvalidError(`Git URLs must start with https://, http://, file:// or ssh:// (got "${spec.url}").`, [{ path: ["source", "url"], message: "unsupported URL" }]);
        }
        return { kind: "git", url: spec.url, path: cleanPath(spec.path ?? "", "path"), ref: spec.ref || null };
      case "github":
        if (!GITHUB_REPO.test(spec.repo)) throw new InvalidError(`"${spec.repo}" is not a GitHub repository (owner/name).`, [{ path: ["source", "repo"], message: "not owner/name" }]);
        return { kind: "github", repo: spec.repo, path: cleanPath(spec.path ?? "", "path"), ref: spec.ref || null };
    }
  }
  const text = spec.trim();
  if (text === "") throw new InvalidError("The source is empty.", [{ path: ["source"], message: "empty" }]);
  if (isAbsolute(text)) return { kind: "local", path: resolve(text) };
  if (text.startsWith("./") || text.startsWith("../")) return { kind: "local", path: resolve(cwd, text) };
  if (GIT_URL.test(text)) return { kind: "git", url: text, path: "", ref: null };
  const at = text.lastIndexOf("@");
  const location = at > 0 ? text.slice(0, at) : text;
  const ref = at > 0 ? text.slice(at + 1) : null;
  const [owner, repo, ...rest] = location.split("/");
  const repository = `${owner ?? ""}/${repo ?? ""}`;
  if (!GITHUB_REPO.test(repository)) {
    throw new InvalidError(
      `Cannot read the source "${text}": use an absolute path, ./relative, owner/repo/path@ref, or a { "kind": "git", "url": … } object.`,
      [{ path: ["source"], message: "unrecognised short form" }],
    );
  }
  return { kind: "github", repo: repository, path: cleanPath(rest.join("/"), "path"), ref: ref || null };
}
