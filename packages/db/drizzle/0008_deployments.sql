CREATE TABLE "deployment_artifacts" (
	"deployment_id" text NOT NULL,
	"artifact_id" text NOT NULL,
	"collection_id" text NOT NULL,
	"content_hash" text NOT NULL,
	"status" text NOT NULL,
	CONSTRAINT "deployment_artifacts_deployment_id_artifact_id_pk" PRIMARY KEY("deployment_id","artifact_id"),
	CONSTRAINT "deployment_artifacts_status_check" CHECK ("deployment_artifacts"."status" in ('current', 'behind', 'modified', 'diverged', 'missing', 'removed', 'conflict'))
);
--> statement-breakpoint
CREATE TABLE "deployments" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"target" text NOT NULL,
	"profile" text NOT NULL,
	"scope" text NOT NULL,
	"host" text,
	"path" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deployments_profile_check" CHECK ("deployments"."profile" in ('claude_code', 'codex', 'cursor', 'gemini')),
	CONSTRAINT "deployments_scope_check" CHECK ("deployments"."scope" in ('project', 'user'))
);
--> statement-breakpoint
ALTER TABLE "deployment_artifacts" ADD CONSTRAINT "deployment_artifacts_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deployment_artifacts_artifact_idx" ON "deployment_artifacts" USING btree ("artifact_id");--> statement-breakpoint
CREATE INDEX "deployment_artifacts_collection_idx" ON "deployment_artifacts" USING btree ("collection_id","artifact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deployments_workspace_target_idx" ON "deployments" USING btree ("workspace_id","target");--> statement-breakpoint
CREATE INDEX "deployments_workspace_reported_idx" ON "deployments" USING btree ("workspace_id","reported_at","id");