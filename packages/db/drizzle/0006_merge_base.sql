-- Every artifact keeps its merge base; until now the stored copy was always exactly upstream's, so it is the base.
ALTER TABLE "artifacts" ADD COLUMN "base_files" jsonb;--> statement-breakpoint
ALTER TABLE "artifacts" ADD COLUMN "base_hash" text;--> statement-breakpoint
UPDATE "artifacts" SET "base_files" = "files", "base_hash" = "content_hash";--> statement-breakpoint
ALTER TABLE "artifacts" ALTER COLUMN "base_files" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "artifacts" ALTER COLUMN "base_hash" SET NOT NULL;
