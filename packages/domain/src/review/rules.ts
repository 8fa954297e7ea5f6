import type { FindingSeverity } from "@scriptorium/contract";

/** One rule of the security review: what it looks for, why it matters, and what to do about a finding. */
export interface ReviewRule {
  id: string;
  severity: FindingSeverity;
  /** What the rule matches. */
  matches: string;
  /** Why a match matters. */
  why: string;
  /** What the author or the user should do. */
  fix: string;
}

/**
 * Every rule of the review, in one table (documented in
 * docs/security-review.md, which a test keeps in step with it). Severities
 * say how sure a match is to be harmful: `high` holds an update back.
 */
export const REVIEW_RULES = [
  // Remote code run by a shell.
  {
    id: "shell.remote-code",
    severity: "high",
    matches: "Output of curl or wget piped into a shell or interpreter (`curl … | sh`), or fed to one through process or command substitution (`bash <(curl …)`, `sh -c \"$(curl …)\"`, `eval \"$(wget -O- …)\"`)",
    why: "Runs whatever the remote server sends at that moment, with the user's rights; nothing of it can be reviewed beforehand.",
    fix: "Vendor the script into the artifact, or download it to a file, pin it by checksum and run that file.",
  },
  {
    id: "shell.download-and-run",
    severity: "high",
    matches: "A file downloaded with curl or wget, then made executable or run in the same script",
    why: "Same as piping into a shell, split over several lines.",
    fix: "Ship the program with the artifact, or verify the download against a pinned checksum before running it.",
  },
  // Decode and execute.
  {
    id: "shell.decode-and-run",
    severity: "high",
    matches: "Decoded data (`base64 -d`, `xxd -r`, `openssl enc -d`, `gunzip`) piped or substituted into a shell or interpreter, or passed to `eval`",
    why: "Hides the command that runs from anyone reading the artifact; a classic way to smuggle a payload past review.",
    fix: "Write the command out in plain text.",
  },
  {
    id: "shell.eval",
    severity: "medium",
    matches: "`eval` of a variable or of a command substitution",
    why: "Runs text assembled at run time; what it does cannot be read from the artifact.",
    fix: "Call the command directly with quoted arguments.",
  },
  {
    id: "content.encoded-blob",
    severity: "medium",
    matches: "A base64 or hex run of 400 characters or more in a script, config or Markdown file",
    why: "Long encoded blobs in instructions or scripts usually carry a hidden payload.",
    fix: "Ship binary assets as files of their own, and commands as plain text.",
  },
  // Reading secrets.
  {
    id: "secrets.credential-files",
    severity: "high",
    matches: "Reading SSH, cloud, GitHub CLI, Docker, Kubernetes or netrc credentials (`~/.ssh/`, `~/.aws/`, `~/.config/gh/`, `~/.docker/config.json`, `~/.kube/config`, `~/.netrc`), the system keychain (`security find-*-password`), or `/etc/shadow`",
    why: "An artifact has no business with the user's credentials; reading them is the first half of stealing them.",
    fix: "Remove the access; let the user configure credentials for the tool that needs them.",
  },
  {
    id: "secrets.dotenv",
    severity: "medium",
    matches: "Reading a `.env` file (`cat .env`, `source .env`, `< .env`)",
    why: "`.env` files hold a project's secrets; an artifact reading them can pass them on.",
    fix: "Read only the variables the tool needs, from its own environment.",
  },
  // Sending data out.
  {
    id: "exfil.upload",
    severity: "high",
    matches: "Files, the environment or command output sent over the network: `curl -d @file`, `-F x=@file`, `-T file`, `--data \"$(…)\"`, `wget --post-file`, `env | curl …`, `nc`/`ncat`/`socat` to a host, `/dev/tcp/`, or DNS look-ups built from command output",
    why: "This is how data leaves the machine without the user seeing it.",
    fix: "Send only what the user asked to send, to the service the artifact is for, and say so in its description.",
  },
  {
    id: "exfil.post",
    severity: "medium",
    matches: "`curl` or `wget` sending a request body (`-d`, `--data`, `--json`, `-X POST`) to a host that is not local",
    why: "Posting from a hook or script can send data anywhere; worth a look at what and where.",
    fix: "Make sure the destination is the artifact's own service and the data is what the user expects.",
  },
  // Destructive or persistent changes.
  {
    id: "shell.destructive-delete",
    severity: "high",
    matches: "`rm -r` with force on `/`, `/*`, `~`, `$HOME`, or the home folder",
    why: "Deletes the user's files irrecoverably.",
    fix: "Delete only paths the artifact created, spelled out in full.",
  },
  {
    id: "shell.world-writable",
    severity: "medium",
    matches: "`chmod` to 777 (or `a+rwx`), especially recursively",
    why: "Lets any process on the machine change the files, including the ones that run.",
    fix: "Grant only the permissions needed, to the owner.",
  },
  {
    id: "shell.sudo",
    severity: "medium",
    matches: "`sudo` or `doas`",
    why: "An agent running the artifact would ask for, or use cached, administrator rights.",
    fix: "Document what needs administrator rights and let the user run it.",
  },
  {
    id: "shell.persistence",
    severity: "high",
    matches: "Installing something that outlives the session: `crontab`, writes to shell start-up files (`~/.bashrc`, `~/.zshrc`, `~/.profile`, …), launch agents or daemons, `systemctl enable`, `/etc/cron*`",
    why: "Code that keeps running after the agent is done, every time the user opens a shell or logs in.",
    fix: "Do not change the user's start-up files or schedulers; document the step for the user.",
  },
  // MCP servers.
  {
    id: "mcp.unpinned-package",
    severity: "medium",
    matches: "An MCP server run from a package registry without a version (`npx -y pkg`, `pkg@latest`, `uvx pkg`, `pipx run pkg`)",
    why: "Each start runs whatever the package's newest release is; a hijacked release reaches every user at once.",
    fix: "Pin an exact version (`pkg@1.2.3`, `uvx pkg==1.2.3`).",
  },
  {
    id: "mcp.plaintext-remote",
    severity: "high",
    matches: "A remote MCP server reached over plain `http://` on a host that is not local",
    why: "Requests, answers and any tokens travel readable and changeable by anyone on the path.",
    fix: "Use `https://`.",
  },
  {
    id: "mcp.inline-secret",
    severity: "high",
    matches: "A literal secret in an MCP server's `env`, `headers` or `args`: a known token format, or a value under a name like TOKEN, SECRET, PASSWORD or API_KEY that is not a placeholder",
    why: "The secret is published with the artifact and shared with everyone who installs it.",
    fix: "Reference the user's environment (`${GITHUB_TOKEN}`) instead of a value.",
  },
  // Hooks.
  {
    id: "hook.broad-remote",
    severity: "high",
    matches: "A hook on every tool call or every prompt (no matcher, `*`, `.*`, or prompt and session events) whose command downloads from the network or runs a script from outside the artifact",
    why: "Runs unreviewed code on every step the agent takes.",
    fix: "Narrow the matcher to the tools the hook is for, and ship the script inside the artifact.",
  },
  {
    id: "hook.broad-matcher",
    severity: "low",
    matches: "A hook that runs on every tool call (no matcher, `*` or `.*`)",
    why: "Every step of the agent pays for it and passes through it.",
    fix: "Narrow the matcher if the hook is only for some tools.",
  },
  // Markdown instructions.
  {
    id: "md.prompt-injection",
    severity: "high",
    matches: "Phrases that turn an agent against its user: ignore previous instructions, do not tell the user, reveal the system prompt, disregard your rules, and the like",
    why: "Instructions are what an agent follows; these ones hide what it does or override the user's intent.",
    fix: "Remove them; an artifact's instructions should be ones the user would agree to.",
  },
  {
    id: "md.invisible-characters",
    severity: "high",
    matches: "Invisible or direction-changing characters: zero-width characters, bidirectional overrides and isolates, Unicode tag characters (U+E0000–U+E007F)",
    why: "Text a person cannot see is still read by the model: a known way to smuggle instructions.",
    fix: "Remove them.",
  },
  {
    id: "md.hidden-instructions",
    severity: "high",
    matches: "An HTML comment in Markdown holding instructions or commands (imperatives to the agent, shell commands, URLs)",
    why: "Rendered Markdown hides comments from people, not from the model.",
    fix: "Put instructions in the visible text, or remove them.",
  },
  {
    id: "md.raw-script-link",
    severity: "medium",
    matches: "A link to a raw script (`raw.githubusercontent.com`, gists, pastebins, or any URL ending in `.sh`, `.ps1`, `.py`)",
    why: "Invites the agent or the user to fetch and run code that is not part of the artifact.",
    fix: "Ship the script with the artifact.",
  },
  // Files.
  {
    id: "file.executable-binary",
    severity: "high",
    matches: "A compiled program (ELF, Mach-O, PE, WebAssembly) inside the artifact",
    why: "Cannot be reviewed, and runs with the user's rights.",
    fix: "Ship source, or install the program from its publisher.",
  },
  {
    id: "file.binary",
    severity: "low",
    matches: "A binary file that is not a program (an image, an archive, data)",
    why: "Its content cannot be reviewed as text.",
    fix: "Nothing, when the file is an asset the artifact needs.",
  },
  {
    id: "file.symlink",
    severity: "medium",
    matches: "A symbolic link upstream (never copied: the artifact is stored without it)",
    why: "A link can point anywhere on the user's machine once installed.",
    fix: "Replace the link with the file itself.",
  },
  {
    id: "file.install-script",
    severity: "medium",
    matches: "`preinstall`, `install` or `postinstall` scripts in a package.json",
    why: "They run on install, before anyone looks at what they do.",
    fix: "Make the step explicit for the user to run.",
  },
  {
    id: "file.unreviewable",
    severity: "medium",
    matches: "A file the review could not finish: not valid UTF-8 where text was expected, a config that does not parse, a line of over 100 000 characters, or a review over its time limit",
    why: "What could not be read may hide anything.",
    fix: "Keep scripts and configs plain, well-formed text.",
  },
] as const satisfies readonly ReviewRule[];

export type RuleId = (typeof REVIEW_RULES)[number]["id"];

const BY_ID = new Map<string, ReviewRule>(REVIEW_RULES.map((rule) => [rule.id, rule]));

export function ruleOf(id: RuleId): ReviewRule {
  return BY_ID.get(id) as ReviewRule;
}
