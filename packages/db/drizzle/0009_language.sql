CREATE TABLE "job_attempts" (
	"workspace_id" text NOT NULL,
	"project_id" text NOT NULL,
	"job_id" text NOT NULL,
	"claim" integer NOT NULL,
	"worker_id" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"outcome" text,
	CONSTRAINT "job_attempts_job_id_claim_pk" PRIMARY KEY("job_id","claim")
);
--> statement-breakpoint
-- Jobs that stopped before the column existed did not record their words: null, which the job list shows as unknown.
ALTER TABLE "generation_jobs" ADD COLUMN "words" integer;--> statement-breakpoint
-- Existing projects were written and exported as English (every export declared "en"), so that is their language.
ALTER TABLE "projects" ADD COLUMN "language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "job_attempts" ADD CONSTRAINT "job_attempts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_attempts" ADD CONSTRAINT "job_attempts_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_attempts" ADD CONSTRAINT "job_attempts_job_id_generation_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."generation_jobs"("id") ON DELETE cascade ON UPDATE no action;