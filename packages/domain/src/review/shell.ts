import { parse, type ParseEntry } from "shell-quote";
import type { RuleId } from "./rules";

/** A rule's match in some shell text: the rule, the 0-based line within that text, and the words that matched. */
export interface ShellMatch {
  ruleId: RuleId;
  line: number;
  excerpt: string;
  message: string;
}

/** One simple command: its words (after assignments and wrappers like `sudo`), and what connects it to the next. */
interface Command {
  /** The command word as written (`/usr/bin/curl`, `./run.sh`). */
  word: string;
  name: string;
  args: string[];
  /** Redirection targets (`> file`, `>> file`). */
  writes: string[];
  /** Input redirection sources (`< file`). */
  reads: string[];
  /** Run through `sudo` or `doas`. */
  elevated: boolean;
  /** The operator after it: `|` makes it feed the next command. */
  next: string | null;
  /** Commands whose output is substituted into this one's words (`$(…)`, backticks, `<(…)`). */
  substituted: Command[][];
}

const FETCHERS = new Set(["curl", "wget", "fetch", "aria2c"]);
const INTERPRETERS = new Set(["sh", "bash", "zsh", "dash", "ksh", "fish", "python", "python2", "python3", "node", "perl", "ruby", "php", "pwsh", "powershell", "source", ".", "osascript"]);
const WRAPPERS = new Set(["env", "command", "exec", "nohup", "time", "nice", "xargs", "timeout", "stdbuf"]);
const ELEVATORS = new Set(["sudo", "doas"]);
const NETCATS = new Set(["nc", "ncat", "netcat", "socat", "telnet"]);
const DNS_TOOLS = new Set(["dig", "nslookup", "host", "drill"]);

const CREDENTIAL_PATH =
  /(?:^|[\s"'=:(/])(?:~|\$HOME|\$\{HOME\}|\/home\/[^/\s]+|\/Users\/[^/\s]+|\/root)\/(?:\.ssh\b|\.aws\/|\.config\/gh\b|\.docker\/config\.json|\.kube\/config|\.netrc|\.gnupg\/|\.git-credentials)|\/etc\/shadow\b|\bid_(?:rsa|ed25519|ecdsa|dsa)\b(?!\.pub)/;
const KEYCHAIN = /\bsecurity\s+(?:find-generic-password|find-internet-password|dump-keychain)\b|\bsecret-tool\s+lookup\b/;
const DOTENV = /(?:^|\/)\.env(?:\.(?!example\b|sample\b|template\b|dist\b|defaults\b)[\w-]+)?$/;
const RC_FILE = /(?:~|\$HOME|\$\{HOME\})\/(?:\.bashrc|\.bash_profile|\.bash_login|\.profile|\.zshrc|\.zprofile|\.zshenv|\.config\/fish\/config\.fish)\b/;
const PERSISTENT_PATH = /Library\/Launch(?:Agents|Daemons)|\/etc\/cron|\/etc\/systemd\/|\.config\/systemd\/user|\.config\/autostart/;
const LOCAL_HOST = /^(?:https?:\/\/)?(?:localhost|127\.\d+\.\d+\.\d+|\[?::1\]?|0\.0\.0\.0)(?:[:/]|$)/i;
const HOME_TARGETS = new Set(["/", "/*", "~", "~/", "~/*", "$HOME", "$HOME/", "$HOME/*", "${HOME}", "${HOME}/", "/home", "/home/*", "/Users", "/Users/*", "/root"]);

/** The basename of a command word: `/usr/bin/curl` is `curl`. */
function commandName(word: string): string {
  const slash = word.lastIndexOf("/");
  return slash >= 0 && !word.startsWith("./") ? word.slice(slash + 1) : word;
}

/** Command substitutions inside one word (`$(…)` and backticks), as text. */
function substitutionsIn(word: string): string[] {
  const found: string[] = [];
  for (let start = word.indexOf("$("); start !== -1; start = word.indexOf("$(", start + 2)) {
    let depth = 0;
    for (let at = start + 1; at < word.length; at += 1) {
      if (word[at] === "(") depth += 1;
      else if (word[at] === ")" && --depth === 0) {
        found.push(word.slice(start + 2, at));
        break;
      }
    }
  }
  for (const match of word.matchAll(/`([^`]*)`/g)) found.push(match[1] ?? "");
  return found;
}

/**
 * Splits a shell line into commands, with shell-quote's tokenizer (quoting,
 * pipes, `&&`, `;`, subshells, process substitution). Variables stay as
 * written (`$HOME`), so rules can see them.
 */
export function commandsOf(text: string): Command[] {
  const entries = parse(text, (name) => `$${name}`) as ParseEntry[];
  const commands: Command[] = [];
  let words: string[] = [];
  let writes: string[] = [];
  let reads: string[] = [];
  let substituted: Command[][] = [];
  let pendingRedirect: ">" | "<" | null = null;
  /** Commands opened by `<(` or an unquoted `$(`, waiting for their `)`. */
  const inner: { outerWords: string[]; commands: Command[] }[] = [];
  const finish = (next: string | null) => {
    if (words.length > 0 || writes.length > 0) {
      let elevated = false;
      let index = 0;
      while (index < words.length) {
        const word = words[index] ?? "";
        if (/^[A-Za-z_][\w]*=/.test(word)) index += 1;
        else if (ELEVATORS.has(word)) {
          elevated = true;
          index += 1;
          while ((words[index] ?? "").startsWith("-")) index += 1;
        } else if (WRAPPERS.has(word)) {
          index += 1;
          while ((words[index] ?? "").startsWith("-")) index += 1;
        } else break;
      }
      const word = words[index] ?? "";
      const name = commandName(word);
      const args = words.slice(index + 1);
      for (const word of words) for (const text of substitutionsIn(word)) substituted.push(commandsOf(text));
      const command: Command = { word, name, args, writes, reads, elevated, next, substituted };
      (inner.at(-1)?.commands ?? commands).push(command);
    }
    words = [];
    writes = [];
    reads = [];
    substituted = [];
  };
  for (const entry of entries) {
    if (typeof entry === "string") {
      if (pendingRedirect === ">") writes.push(entry);
      else if (pendingRedirect === "<") reads.push(entry);
      else words.push(entry);
      pendingRedirect = null;
      continue;
    }
    if ("comment" in entry) continue;
    if ("pattern" in entry) {
      words.push(entry.pattern);
      continue;
    }
    const op = entry.op as string;
    if (op === ">" || op === ">>" || op === ">&" || op === "&>") pendingRedirect = ">";
    else if (op === "<") pendingRedirect = "<";
    else if (op === "<(" || (op === "(" && words.at(-1)?.endsWith("$"))) {
      // Process or command substitution: its commands feed the command being built.
      if (op === "(") words[words.length - 1] = (words.at(-1) ?? "").slice(0, -1);
      inner.push({ outerWords: words, commands: [] });
      words = [];
    } else if (op === ")" && inner.length > 0) {
      finish(null);
      const closed = inner.pop();
      if (closed) {
        words = closed.outerWords;
        substituted.push(closed.commands);
      }
    } else finish(op);
  }
  finish(null);
  return commands;
}

/** True when this fetcher writes what it downloads to standard output (so a pipe receives it). */
function fetchesToStdout(command: Command): boolean {
  if (command.name === "curl") return !command.args.some((arg) => /^-[a-zA-Z]*[oO]/.test(arg) || arg === "--output" || arg === "--remote-name");
  if (command.name === "wget") return command.args.some((arg, at) => /^-[a-zA-Z]*O-?$/.test(arg) && (arg.endsWith("-") || command.args[at + 1] === "-")) || command.args.includes("--output-document=-");
  return true;
}

function isDecoder(command: Command): boolean {
  const args = command.args;
  if (command.name === "base64" || command.name === "base32") return args.some((arg) => /^-[a-zA-Z]*[dD]/.test(arg) || arg === "--decode");
  if (command.name === "xxd") return args.some((arg) => /^-[a-zA-Z]*r/.test(arg));
  if (command.name === "openssl") return args.includes("-d") || args.includes("base64");
  return ["gunzip", "zcat", "uudecode", "bunzip2", "xzcat"].includes(command.name);
}

/** What an interpreter command runs: a script fed on standard input, `-c`/`-e` text, or a file. */
function isInterpreter(command: Command): boolean {
  return INTERPRETERS.has(command.name) || /^python\d(\.\d+)?$/.test(command.name);
}

function urlsOf(command: Command): string[] {
  return command.args.filter((arg) => /^(?:https?|ftp):\/\//i.test(arg) || /^[\w.-]+\.[a-z]{2,}(?::\d+)?\//i.test(arg));
}

function excerptOf(command: Command): string {
  return [command.elevated ? "sudo" : "", command.name, ...command.args].filter(Boolean).join(" ").slice(0, 200);
}

/** Every command, with the commands substituted into it, depth first. */
function flatten(commands: Command[]): Command[] {
  return commands.flatMap((command) => [command, ...command.substituted.flatMap(flatten)]);
}

/** Each pipeline (commands joined by `|`) of a list of commands. */
function pipelines(commands: Command[]): Command[][] {
  const result: Command[][] = [];
  let current: Command[] = [];
  for (const command of commands) {
    current.push(command);
    if (command.next !== "|" && command.next !== "|&") {
      result.push(current);
      current = [];
    }
  }
  if (current.length > 0) result.push(current);
  return result;
}

const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "fish"]);
const STRING_LITERAL = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`([^`]*)`/g;

/**
 * Code given inline to an interpreter (`bash -c "…"`, `node -e "…"`,
 * `python -c "…"`): a shell's is shell; another language's string literals
 * are where commands hide (`exec('curl … | sh')`).
 */
function inlineCode(command: Command): string[] {
  if (!isInterpreter(command)) return [];
  const flag = command.args.findIndex((arg) => /^-[a-zA-Z]*[ce]$/.test(arg));
  const code = flag === -1 ? undefined : command.args[flag + 1];
  if (!code) return [];
  if (SHELLS.has(command.name)) return [code];
  return [...code.matchAll(STRING_LITERAL)].map((match) => match[1] ?? match[2] ?? match[3] ?? "").filter((literal) => literal.includes(" "));
}

/** The rules that read commands, over one list of commands (a line, or a substitution's contents). */
type Emit = (ruleId: RuleId, command: Command, message: string, excerpt?: string) => void;

function commandMatches(commands: Command[], emit: Emit): void {
  for (const pipeline of pipelines(commands)) {
    // A pipeline's findings quote the whole pipeline: `bash` alone says nothing of where its input came from.
    const whole = pipeline.map(excerptOf).join(" | ");
    const fetchAt = pipeline.findIndex((command) => FETCHERS.has(command.name) && fetchesToStdout(command));
    const decodeAt = pipeline.findIndex(isDecoder);
    const runAt = pipeline.findIndex((command, at) => at > 0 && isInterpreter(command));
    if (fetchAt !== -1 && runAt > fetchAt) emit("shell.remote-code", pipeline[runAt] as Command, "Downloaded code is piped straight into an interpreter.", whole);
    if (decodeAt !== -1 && runAt > decodeAt) emit("shell.decode-and-run", pipeline[runAt] as Command, "Decoded data is piped into an interpreter.", whole);
    const sourceAt = pipeline.findIndex((command) => ["env", "printenv", "set", "export"].includes(command.name) && command.args.length === 0);
    const sendAt = pipeline.findIndex((command, at) => at > 0 && (FETCHERS.has(command.name) || NETCATS.has(command.name)));
    if (sourceAt !== -1 && sendAt > sourceAt) emit("exfil.upload", pipeline[sendAt] as Command, "The environment is sent over the network.", whole);
    const readsSecret = pipeline.findIndex((command) => [command.name, ...command.args].some((word) => CREDENTIAL_PATH.test(word)));
    if (readsSecret !== -1 && sendAt > readsSecret) emit("exfil.upload", pipeline[sendAt] as Command, "Credentials are sent over the network.", whole);
  }
  for (const command of commands) {
    const inner = command.substituted.flat();
    const innerFetches = inner.some((candidate) => FETCHERS.has(candidate.name) && fetchesToStdout(candidate));
    const innerDecodes = inner.some(isDecoder);
    if ((isInterpreter(command) || command.name === "eval") && innerFetches) emit("shell.remote-code", command, "Downloaded code is run through command or process substitution.");
    else if ((isInterpreter(command) || command.name === "eval") && innerDecodes) emit("shell.decode-and-run", command, "Decoded data is run through substitution.");
    else if (command.name === "eval" && command.args.some((arg) => arg.includes("$"))) emit("shell.eval", command, "eval runs text assembled at run time.");
    for (const code of inlineCode(command)) {
      let nested: Command[];
      try {
        nested = commandsOf(code);
      } catch {
        continue;
      }
      commandMatches(nested, emit);
    }
    if (command.elevated) emit("shell.sudo", command, "Runs with administrator rights.");
    const words = [command.name, ...command.args, ...command.reads];
    if (words.some((word) => CREDENTIAL_PATH.test(word)) || KEYCHAIN.test(words.join(" "))) emit("secrets.credential-files", command, "Reads the user's credentials.");
    // What the command reads: its arguments (for cp, all but the destination) and its input redirections.
    const readArgs = command.name === "cp" ? command.args.slice(0, -1) : command.args;
    if (["cat", "source", ".", "head", "tail", "less", "more", "grep", "export", "xargs", "cp", "base64"].includes(command.name) && [...readArgs, ...command.reads].some((word) => DOTENV.test(word))) {
      emit("secrets.dotenv", command, "Reads a .env file, where projects keep their secrets.");
    } else if (command.reads.some((word) => DOTENV.test(word))) emit("secrets.dotenv", command, "Reads a .env file, where projects keep their secrets.");
    sendingMatches(command, inner, emit);
    destructiveMatches(command, emit);
  }
}

function sendingMatches(command: Command, inner: Command[], emit: Emit): void {
  const remote = urlsOf(command).filter((url) => !LOCAL_HOST.test(url));
  if (command.name === "curl") {
    const uploads = command.args.some(
      (arg, at) =>
        ((["-d", "--data", "--data-binary", "--data-raw", "--data-urlencode", "--json"].includes(arg) || /^-[a-zA-Z]*d$/.test(arg)) && /^@|\$\(|`/.test(command.args[at + 1] ?? "")) ||
        (["-F", "--form"].includes(arg) && /=@|=<|\$\(/.test(command.args[at + 1] ?? "")) ||
        ["-T", "--upload-file"].includes(arg) ||
        /^--data(?:-binary|-raw|-urlencode)?=(?:@|\$\(|`)/.test(arg),
    );
    const posts = command.args.some((arg, at) => ["-d", "--data", "--data-binary", "--data-raw", "--json", "-F", "--form"].includes(arg) || /^--data/.test(arg) || (arg === "-X" && /^post$/i.test(command.args[at + 1] ?? "")));
    if (remote.length > 0 && (uploads || inner.length > 0)) emit("exfil.upload", command, "Sends files or command output over the network.");
    else if (remote.length > 0 && posts) emit("exfil.post", command, "Sends a request body to a remote host.");
  }
  if (command.name === "wget" && remote.length > 0) {
    if (command.args.some((arg) => arg.startsWith("--post-file"))) emit("exfil.upload", command, "Sends a file over the network.");
    else if (command.args.some((arg) => arg.startsWith("--post-data"))) emit("exfil.post", command, "Sends a request body to a remote host.");
  }
  if (NETCATS.has(command.name) && command.args.some((arg) => !arg.startsWith("-") && !LOCAL_HOST.test(arg) && /[a-z]/i.test(arg) && !/^\d+$/.test(arg))) {
    emit("exfil.upload", command, "Opens a raw connection to a remote host.");
  }
  if ([command.name, ...command.args, ...command.writes, ...command.reads].some((word) => word.includes("/dev/tcp/") || word.includes("/dev/udp/"))) {
    emit("exfil.upload", command, "Opens a raw network connection through /dev/tcp.");
  }
  if (DNS_TOOLS.has(command.name) && inner.length > 0) emit("exfil.upload", command, "Builds a DNS name from command output: data leaves through DNS.");
}

function destructiveMatches(command: Command, emit: Emit): void {
  if (command.name === "rm") {
    const flags = command.args.filter((arg) => arg.startsWith("-")).join(" ");
    const recursive = /-[a-zA-Z]*[rR]|--recursive/.test(flags);
    const forced = /-[a-zA-Z]*f|--force/.test(flags) || command.elevated;
    if (recursive && forced && command.args.some((arg) => HOME_TARGETS.has(arg.replace(/\/+$/, "") || "/") || HOME_TARGETS.has(arg))) {
      emit("shell.destructive-delete", command, "Deletes the home folder or the whole file system.");
    }
  }
  if (command.name === "chmod" && command.args.some((arg) => /^0?777$/.test(arg) || /^a\+rwx$/.test(arg) || /^o\+w/.test(arg))) {
    emit("shell.world-writable", command, "Makes files writable by anyone.");
  }
  const persistent =
    (command.name === "crontab" && !command.args.every((arg) => arg === "-l")) ||
    command.writes.some((target) => RC_FILE.test(target) || PERSISTENT_PATH.test(target)) ||
    (command.name === "tee" && command.args.some((arg) => RC_FILE.test(arg) || PERSISTENT_PATH.test(arg))) ||
    (["cp", "mv", "ln", "install"].includes(command.name) && command.args.some((arg) => PERSISTENT_PATH.test(arg) || RC_FILE.test(arg))) ||
    (command.name === "launchctl" && command.args.some((arg) => ["load", "bootstrap", "enable"].includes(arg))) ||
    (command.name === "systemctl" && command.args.includes("enable"));
  if (persistent) emit("shell.persistence", command, "Installs something that runs again after this session: start-up files, schedulers or services.");
}

/** Joins backslash-continued lines, keeping the line each logical line starts on. */
function logicalLines(text: string): { text: string; line: number }[] {
  const lines = text.split("\n");
  const result: { text: string; line: number }[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const start = index;
    let current = lines[index] ?? "";
    while (current.endsWith("\\") && index + 1 < lines.length) {
      index += 1;
      current = `${current.slice(0, -1)} ${lines[index] ?? ""}`;
    }
    result.push({ text: current, line: start });
  }
  return result;
}

/** Lines longer than this are not tokenized (they are reported as unreviewable by the caller). */
export const MAX_SHELL_LINE = 20_000;

/**
 * The shell rules over a script or a command: each logical line is
 * tokenized and read command by command; a download, a later `chmod +x` or
 * run of the same file, is matched across lines.
 */
export function reviewShell(text: string): ShellMatch[] {
  const matches: ShellMatch[] = [];
  const seen = new Set<string>();
  const downloads = new Map<string, number>();
  for (const { text: lineText, line } of logicalLines(text)) {
    const trimmed = lineText.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.length > MAX_SHELL_LINE) continue;
    let commands: Command[];
    try {
      commands = commandsOf(trimmed);
    } catch {
      continue;
    }
    const emit: Emit = (ruleId, command, message, excerpt) => {
      const key = `${ruleId}:${line}`;
      if (seen.has(key)) return;
      seen.add(key);
      matches.push({ ruleId, line, excerpt: (excerpt ?? excerptOf(command)) || trimmed.slice(0, 200), message });
    };
    commandMatches(commands, emit);
    for (const command of flatten(commands)) {
      // Downloaded to a file, then made executable or run: the same as piping it into a shell.
      if (FETCHERS.has(command.name)) {
        const target = command.args.find((arg, at) => /^(?:-[a-zA-Z]*[oO]|--output|--output-document)$/.test(command.args[at - 1] ?? "") && arg !== "-") ?? command.writes[0];
        const url = urlsOf(command)[0];
        const name = target ?? (command.name === "wget" && url ? url.split("?")[0]?.split("/").pop() : undefined);
        if (name) downloads.set(name.replace(/^\.\//, "").split("/").pop() ?? name, line);
      }
      const runs = [command.name, ...(isInterpreter(command) || command.name === "chmod" ? command.args : [])].map((word) => word.replace(/^\.\//, "").split("/").pop() ?? word);
      const downloaded = runs.find((word) => downloads.has(word) && downloads.get(word) !== undefined);
      if (downloaded && (command.name === "chmod" ? command.args.some((arg) => /\+x|7[0-7][0-7]/.test(arg)) : true) && !FETCHERS.has(command.name)) {
        emit("shell.download-and-run", command, `Runs ${downloaded}, downloaded earlier in the same script.`);
      }
    }
  }
  return matches;
}

/** The programs and scripts a command line runs, as written: each command's word, and the script an interpreter is given. */
export function programsRun(text: string): string[] {
  let commands: Command[];
  try {
    commands = flatten(commandsOf(text));
  } catch {
    return [];
  }
  return commands.flatMap((command) => [command.word, ...(isInterpreter(command) ? command.args.filter((arg) => !arg.startsWith("-")).slice(0, 1) : [])]);
}
