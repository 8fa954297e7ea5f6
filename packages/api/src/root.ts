import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { artifactsRouter } from "./routers/artifacts";
import { authRouter } from "./routers/auth";
import { collectionsRouter } from "./routers/collections";
import { deploymentsRouter } from "./routers/deployments";
import { exportsRouter } from "./routers/exports";
import { generationRouter } from "./routers/generation";
import { keysRouter } from "./routers/keys";
import { projectsRouter } from "./routers/projects";
import { workspacesRouter } from "./routers/workspaces";
import { router } from "./trpc";

export const appRouter = router({
  artifacts: artifactsRouter,
  auth: authRouter,
  collections: collectionsRouter,
  deployments: deploymentsRouter,
  exports: exportsRouter,
  generation: generationRouter,
  keys: keysRouter,
  projects: projectsRouter,
  workspaces: workspacesRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
