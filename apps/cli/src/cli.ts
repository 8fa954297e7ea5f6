import { Command, CommanderError } from "commander";
import { translateError } from "./api";
import { registerAccount } from "./commands/account";
import { registerCollections } from "./commands/collections";
import { registerDeploy } from "./commands/deploy";
import { registerProjects } from "./commands/projects";
import { loadConnection } from "./config";
import { errColour, EXIT } from "./output";

function buildProgram(): Command {
  const program = new Command("scriptorium")
    .description("Collections of agent artifacts and manuscript generation on a Scriptorium server.")
    .version(__CLI_VERSION__, "-V, --version")
    .option("--json", "machine-readable output (docs/cli.md)")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(errColour.red(text)) })
    .addHelpText(
      "after",
      `
Connection: \`scriptorium login --url URL --key KEY\`, or SCRIPTORIUM_URL and SCRIPTORIUM_KEY.
<c> is a collection's id or name, <p> a project's id or title, <artifact> an id, a name or type/name.
Exit codes: 0 done, 1 failed, 2 usage error, 3 done but needs attention.`,
    );
  registerAccount(program);
  registerCollections(program);
  registerDeploy(program);
  registerProjects(program);
  return program;
}

/** Exits once stdout has been written out, so that a piped result is never cut short. */
function exit(code: number): never {
  process.stdout.write("", () => process.exit(code));
  // Keeps the types honest: the callback above ends the process.
  return undefined as never;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return exit(Number(process.exitCode ?? 0));
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version asked for are done; everything else commander refuses is a usage error.
      return exit(error.code === "commander.helpDisplayed" || error.code === "commander.version" ? EXIT.ok : EXIT.usage);
    }
    const url = await loadConnection()
      .then((c) => c.url)
      .catch(() => "the configured URL");
    const failure = translateError(error, url);
    process.stderr.write(`${errColour.red("error:")} ${failure.message}\n`);
    if (process.env.SCRIPTORIUM_DEBUG && error instanceof Error) process.stderr.write(`${error.stack ?? ""}\n`);
    return exit(failure.exitCode);
  }
}

void main(process.argv);
