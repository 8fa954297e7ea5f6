ALTER TABLE "collections" ADD COLUMN "artifact_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "artifacts_collection_name_id_idx" ON "artifacts" USING btree ("collection_id","name","id");--> statement-breakpoint
-- Every collection's artifact count, kept by the database itself: whatever adds or removes artifacts (an import, a sync, a rollback, a deleted collection) changes it in the same statement. Statement-level, so a 10 000-artifact import updates the collection once.
UPDATE "collections" SET "artifact_count" = (SELECT count(*) FROM "artifacts" WHERE "artifacts"."collection_id" = "collections"."id");--> statement-breakpoint
CREATE FUNCTION "scriptorium_count_added_artifacts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "collections" AS c SET "artifact_count" = c."artifact_count" + added.n
  FROM (SELECT "collection_id", count(*)::integer AS n FROM added_artifacts GROUP BY "collection_id") AS added
  WHERE c."id" = added."collection_id";
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION "scriptorium_count_removed_artifacts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "collections" AS c SET "artifact_count" = c."artifact_count" - removed.n
  FROM (SELECT "collection_id", count(*)::integer AS n FROM removed_artifacts GROUP BY "collection_id") AS removed
  WHERE c."id" = removed."collection_id";
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "artifacts_counted_on_insert" AFTER INSERT ON "artifacts" REFERENCING NEW TABLE AS added_artifacts FOR EACH STATEMENT EXECUTE FUNCTION "scriptorium_count_added_artifacts"();--> statement-breakpoint
CREATE TRIGGER "artifacts_counted_on_delete" AFTER DELETE ON "artifacts" REFERENCING OLD TABLE AS removed_artifacts FOR EACH STATEMENT EXECUTE FUNCTION "scriptorium_count_removed_artifacts"();
