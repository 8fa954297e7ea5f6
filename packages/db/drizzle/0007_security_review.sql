-- Null until reviewed: artifacts stored before the security review are reviewed in the background after the upgrade.
ALTER TABLE "artifacts" ADD COLUMN "findings" jsonb;