import type { Database } from "@scriptorium/db";
import { AccessService } from "./access/access-service";

/** Every domain service, built once per process around one database. */
export interface Services {
  access: AccessService;
}

export function createServices(db: Database): Services {
  return { access: new AccessService(db) };
}
