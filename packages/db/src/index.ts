export { openDatabase, type Database, type DatabaseConfig, type DatabaseHandle, type EmbeddedUpkeep, type Schema } from "./client";
export type { UpkeepStep } from "./upkeep";
export { acquireDataDirLock, DataDirLockedError, type DataDirLock } from "./lock";
export * from "./schema";
export { copyDatabase, loadTables, readAllTables, reviveRow, TABLES, TargetNotEmptyError, type Row, type TableRows } from "./copy";
export { isDatabaseUnavailable, isUniqueViolation } from "./errors";
