import type { z } from "zod";
import type { ApiKey as DomainApiKey, IssuedApiKey as DomainIssuedApiKey } from "@scriptorium/domain";
import type { ApiKey, IssuedApiKey } from "./schemas";

/** Domain rows to API payloads: snake_case names and ISO timestamps. */
export function toApiKey(key: DomainApiKey): z.infer<typeof ApiKey> {
  return { id: key.id, name: key.name, scope: key.scope, prefix: key.prefix, created_at: key.createdAt.toISOString() };
}

export function toIssuedApiKey(key: DomainIssuedApiKey): z.infer<typeof IssuedApiKey> {
  return { ...toApiKey(key), key: key.key };
}
