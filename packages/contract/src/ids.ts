import { z } from "zod";

/** The id of a stored resource as a caller names it; PostgreSQL text cannot hold NUL, so no id contains one. */
export const Id = z
  .string()
  .min(1)
  .max(100)
  .refine((id) => !id.includes("\u0000"), "An id never contains NUL characters (\\u0000)");
