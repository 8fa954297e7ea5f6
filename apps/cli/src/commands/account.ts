import type { Command } from "commander";
import { PAGE_LIMITS, SCOPES } from "@scriptorium/contract";
import { apiFor, translateError } from "../api";
import { normaliseUrl, removeConnection, saveConnection } from "../config";
import { CliError, colour, EXIT, line, printFields, printJson, printTable, when } from "../output";
import { allPages } from "../resolve";
import { act } from "../run";

export function registerAccount(program: Command): void {
  program
    .command("login")
    .description("check a key against a server and save both (SCRIPTORIUM_URL / SCRIPTORIUM_KEY override the saved ones)")
    .requiredOption("--url <url>", "the server, e.g. http://127.0.0.1:3000")
    .option("--key <key>", "the API key (default: $SCRIPTORIUM_KEY)")
    .action(
      act(async (ctx, opts: { url: string; key?: string }) => {
        const key = opts.key ?? process.env.SCRIPTORIUM_KEY;
        if (!key) throw new CliError("Give the key with --key KEY (or set SCRIPTORIUM_KEY).", EXIT.usage);
        const connection = { url: normaliseUrl(opts.url), key };
        const api = apiFor(connection);
        const me = await api.client.auth.whoami.query().catch((error: unknown) => {
          throw translateError(error, connection.url);
        });
        const path = await saveConnection(connection);
        if (ctx.json) return printJson(me);
        line(`Logged in to ${colour.bold(connection.url)}: workspace ${colour.bold(me.workspace.name)}, key ${me.key.name} (${me.key.scope}).`);
        line(colour.dim(`Saved to ${path}`));
      }),
    );

  program
    .command("logout")
    .description("forget the saved server and key")
    .action(
      act(async (ctx) => {
        const outcome = await removeConnection();
        if (ctx.json) return printJson(outcome);
        line(outcome.removed ? `Removed ${outcome.path}.` : "Not logged in; nothing to remove.");
      }),
    );

  program
    .command("whoami")
    .description("the workspace and key in use")
    .action(
      act(async (ctx) => {
        const api = await ctx.api();
        const me = await api.client.auth.whoami.query();
        if (ctx.json) return printJson(me);
        printFields([
          ["server", api.connection.url],
          ["workspace", `${me.workspace.name} (${me.workspace.id})`],
          ["key", `${me.key.name} (${me.key.id})`],
          ["scope", me.key.scope],
          ["prefix", me.key.prefix],
        ]);
      }),
    );

  const keys = program.command("keys").description("the workspace's API keys (admin scope)");
  keys
    .command("list")
    .description("list the keys (never their secrets)")
    .action(
      act(async (ctx) => {
        const api = await ctx.api();
        const items = await allPages((cursor) => api.client.keys.list.query({ limit: PAGE_LIMITS.max, cursor }));
        if (ctx.json) return printJson({ items, next_cursor: null });
        printTable(["ID", "NAME", "SCOPE", "PREFIX", "CREATED"], items.map((k) => [k.id, k.name, k.scope, k.prefix, when(k.created_at)]));
      }),
    );
  keys
    .command("create <name>")
    .description("create a key; its secret is shown this once")
    .option("--scope <scope>", `one of ${SCOPES.join(", ")}`, "read")
    .action(
      act(async (ctx, name: string, opts: { scope: string }) => {
        if (!(SCOPES as readonly string[]).includes(opts.scope)) throw new CliError(`--scope is one of ${SCOPES.join(", ")}.`, EXIT.usage);
        const api = await ctx.api();
        const key = await api.client.keys.create.mutate({ name, scope: opts.scope as (typeof SCOPES)[number] });
        if (ctx.json) return printJson(key);
        line(`Created key ${colour.bold(key.name)} (${key.id}, ${key.scope}). Its secret, shown this once:`);
        line(key.key);
      }),
    );
  keys
    .command("revoke <id>")
    .description("revoke a key")
    .action(
      act(async (ctx, id: string) => {
        const api = await ctx.api();
        const answer = await api.client.keys.revoke.mutate({ id });
        if (ctx.json) return printJson(answer);
        line(`Revoked key ${answer.id}.`);
      }),
    );
}
