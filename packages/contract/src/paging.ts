import { z } from "zod";
import { integer } from "./projects";

/** Items per page of a list when the caller does not say, and the most it may ask for. */
export const PAGE_LIMITS = { default: 50, max: 500 } as const;

/** The paging part of every open-ended list's input (REST query string or tRPC input). */
export const PageInput = z.object({
  limit: integer(1, PAGE_LIMITS.max)
    .optional()
    .meta({ description: `Items per page, 1–${PAGE_LIMITS.max}; default ${PAGE_LIMITS.default}` }),
  cursor: z
    .string()
    .min(1)
    .max(1_000)
    .optional()
    .meta({ description: "The `next_cursor` of the previous page, as it was given; omit for the first page" }),
});
export type PageInput = z.infer<typeof PageInput>;

/** A page of `item`: the items, the cursor of the next page (null on the last), and the total where it is known without counting. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    next_cursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page" }),
    total: z.number().int().optional().meta({ description: "Every item the list holds with these filters, where it is known without counting" }),
  });
}
