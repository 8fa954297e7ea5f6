CREATE TABLE "scene_pins" (
	"workspace_id" text NOT NULL,
	"project_id" text NOT NULL,
	"chapter" integer NOT NULL,
	"scene" integer NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scene_pins_project_id_chapter_scene_pk" PRIMARY KEY("project_id","chapter","scene")
);
--> statement-breakpoint
CREATE TABLE "scene_text_versions" (
	"workspace_id" text NOT NULL,
	"project_id" text NOT NULL,
	"chapter" integer NOT NULL,
	"scene" integer NOT NULL,
	"version" integer NOT NULL,
	"stage" integer NOT NULL,
	"source" text NOT NULL,
	"job_id" text,
	"text" text NOT NULL,
	"words" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scene_text_versions_project_id_chapter_scene_version_pk" PRIMARY KEY("project_id","chapter","scene","version")
);
--> statement-breakpoint
CREATE TABLE "stage_output_versions" (
	"workspace_id" text NOT NULL,
	"project_id" text NOT NULL,
	"stage" integer NOT NULL,
	"version" integer NOT NULL,
	"output" jsonb NOT NULL,
	"edited" boolean NOT NULL,
	"restored_from" integer,
	"job_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stage_output_versions_project_id_stage_version_pk" PRIMARY KEY("project_id","stage","version")
);
--> statement-breakpoint
ALTER TABLE "projects" ALTER COLUMN "scenes_per_chapter" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "generation_jobs" ADD COLUMN "kind" text DEFAULT 'full' NOT NULL;--> statement-breakpoint
ALTER TABLE "generation_jobs" ADD COLUMN "rewrite" jsonb;--> statement-breakpoint
ALTER TABLE "scene_texts" ADD COLUMN "stale" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "stage_runs" ADD COLUMN "version" integer;--> statement-breakpoint
ALTER TABLE "stage_runs" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "scene_pins" ADD CONSTRAINT "scene_pins_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scene_pins" ADD CONSTRAINT "scene_pins_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scene_text_versions" ADD CONSTRAINT "scene_text_versions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scene_text_versions" ADD CONSTRAINT "scene_text_versions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_output_versions" ADD CONSTRAINT "stage_output_versions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_output_versions" ADD CONSTRAINT "stage_output_versions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "scene_texts_stale_idx" ON "scene_texts" USING btree ("project_id","stage") WHERE "scene_texts"."stale";--> statement-breakpoint
-- Jobs that ran one stage alone were `stage` jobs; every other existing job ran the whole pipeline (the column's default).
UPDATE "generation_jobs" SET "kind" = 'stage' WHERE "only_stage" IS NOT NULL;--> statement-breakpoint
-- The planning outputs (stages 1–5) stored so far become version 1 of their stage, as the writer produced them.
INSERT INTO "stage_output_versions" ("workspace_id", "project_id", "stage", "version", "output", "edited", "job_id", "created_at")
SELECT "workspace_id", "project_id", "stage", 1, "output", false, "job_id", coalesce("finished_at", now()) FROM "stage_runs" WHERE "stage" <= 5 AND "output" IS NOT NULL;--> statement-breakpoint
UPDATE "stage_runs" SET "version" = 1 WHERE "stage" <= 5 AND "output" IS NOT NULL;--> statement-breakpoint
-- The scene texts stored so far become each scene's first versions, numbered in stage order, dated by when their stage finished.
INSERT INTO "scene_text_versions" ("workspace_id", "project_id", "chapter", "scene", "version", "stage", "source", "job_id", "text", "words", "created_at")
SELECT t."workspace_id", t."project_id", t."chapter", t."scene",
  row_number() OVER (PARTITION BY t."project_id", t."chapter", t."scene" ORDER BY t."stage"),
  t."stage", 'stage', r."job_id", t."text", t."words", coalesce(r."finished_at", now())
FROM "scene_texts" t LEFT JOIN "stage_runs" r ON r."project_id" = t."project_id" AND r."stage" = t."stage";
