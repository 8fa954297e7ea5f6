import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import ini from "highlight.js/lib/languages/ini";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import markdown from "highlight.js/lib/languages/markdown";
import python from "highlight.js/lib/languages/python";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";

// The core and the languages artifacts are written in, not highlight.js's full set of ~190: the bundle stays small.
hljs.registerLanguage("bash", bash);
hljs.registerLanguage("ini", ini);
hljs.registerLanguage("javascript", javascript);
hljs.registerLanguage("json", json);
hljs.registerLanguage("markdown", markdown);
hljs.registerLanguage("python", python);
hljs.registerLanguage("typescript", typescript);
hljs.registerLanguage("xml", xml);
hljs.registerLanguage("yaml", yaml);

const LANGUAGE_BY_EXTENSION: Record<string, string> = {
  md: "markdown",
  markdown: "markdown",
  mdx: "markdown",
  json: "json",
  jsonc: "json",
  yaml: "yaml",
  yml: "yaml",
  sh: "bash",
  bash: "bash",
  zsh: "bash",
  py: "python",
  js: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  jsx: "javascript",
  ts: "typescript",
  mts: "typescript",
  cts: "typescript",
  tsx: "typescript",
  toml: "ini",
  ini: "ini",
  cfg: "ini",
  html: "xml",
  xml: "xml",
  svg: "xml",
};

/** Longer texts are shown plain: highlighting a megabyte would hold the page for seconds. */
const HIGHLIGHT_MAX_CHARS = 200_000;

/** The language to highlight a file in, by its name, or by a `#!` line naming a shell or Python; null for plain text. */
export function languageOf(path: string, text: string): string | null {
  const name = path.split("/").at(-1) ?? path;
  const extension = name.includes(".") ? name.split(".").at(-1)?.toLowerCase() : undefined;
  if (extension && LANGUAGE_BY_EXTENSION[extension]) return LANGUAGE_BY_EXTENSION[extension];
  const shebang = /^#!.*\b(python3?|node|bash|sh|zsh)\b/.exec(text.slice(0, 200));
  if (shebang) return shebang[1]?.startsWith("python") ? "python" : shebang[1] === "node" ? "javascript" : "bash";
  return null;
}

/**
 * The text as highlight.js HTML, or null to show it plain. highlight.js
 * escapes the text it wraps, so its output is safe to set as HTML.
 */
export function highlightedHtml(text: string, language: string | null): string | null {
  if (!language || text.length > HIGHLIGHT_MAX_CHARS) return null;
  return hljs.highlight(text, { language, ignoreIllegals: true }).value;
}
