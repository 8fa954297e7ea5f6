import { asc, desc, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { z } from "zod";
import { PAGE_LIMITS } from "@scriptorium/contract";
import { InvalidError } from "./errors";

/** What a caller asks of a list: how many, and from where (null: from the start). */
export interface PageRequest {
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** Opaque; null on the last page. */
  nextCursor: string | null;
  /** Every item the list holds with these filters, where that is known without counting. */
  total?: number;
}

/** What a cursor holds: which listing and order issued it, and the sort key and id of the last item it covered. */
const CursorContent = z.object({ v: z.literal(1), o: z.string(), k: z.string(), i: z.string() });

function invalidCursor(why: string): InvalidError {
  return new InvalidError(`Invalid input — cursor: ${why}; pass the \`next_cursor\` of the previous page as it was given, or omit it for the first page.`, [
    { path: ["cursor"], message: why },
  ]);
}

/**
 * Keyset paging on (sort key, id): every page starts strictly after the
 * last item of the one before, so items added or removed meanwhile never
 * make a page skip or repeat one that stays. The sort key travels in the
 * cursor as PostgreSQL's own text of it (a timestamp with its microseconds),
 * so the comparison is exact.
 */
export class Keyset {
  /**
   * @param order names the listing and order; a cursor issued by another one is refused.
   * @param key the sort column (text or timestamp), @param id the unique tie-breaker.
   */
  constructor(
    readonly order: string,
    private readonly key: AnyColumn,
    private readonly id: AnyColumn,
    private readonly direction: "asc" | "desc",
  ) {}

  /** The number of rows to fetch: one more than the page, to learn whether another follows. */
  static limitOf(request: PageRequest): number {
    return Math.min(request.limit ?? PAGE_LIMITS.default, PAGE_LIMITS.max);
  }

  /** The condition for rows after the cursor; undefined for the first page. */
  after(cursor: string | undefined): SQL | undefined {
    if (cursor === undefined) return undefined;
    const position = this.decode(cursor);
    const keyType = sql.raw(this.key.columnType === "PgTimestamp" ? "timestamptz" : "text");
    const comparison = sql.raw(this.direction === "asc" ? ">" : "<");
    return sql`(${this.key}, ${this.id}) ${comparison} (${position.k}::${keyType}, ${position.i})`;
  }

  orderBy(): SQL[] {
    const by = this.direction === "asc" ? asc : desc;
    return [by(this.key), by(this.id)];
  }

  /** Selected beside each row: the sort key as the cursor keeps it. */
  keyText(): SQL<string> {
    return this.key.columnType === "PgTimestamp"
      ? sql<string>`to_char(${this.key} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
      : sql<string>`${this.key}::text`;
  }

  /** The page of the first `limit` rows fetched (of up to `limit + 1`), with the cursor after its last one. */
  page<R extends { cursorKey: string }, T>(rows: R[], limit: number, idOf: (row: R) => string, toItem: (row: R) => T): Page<T> {
    const shown = rows.slice(0, limit);
    const last = shown.at(-1);
    return {
      items: shown.map(toItem),
      nextCursor: rows.length > limit && last ? this.encode(last.cursorKey, idOf(last)) : null,
    };
  }

  encode(key: string, id: string): string {
    return Buffer.from(JSON.stringify({ v: 1, o: this.order, k: key, i: id })).toString("base64url");
  }

  private decode(cursor: string): z.infer<typeof CursorContent> {
    let content: unknown;
    try {
      content = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    } catch {
      throw invalidCursor("this is not a cursor Scriptorium issued");
    }
    const parsed = CursorContent.safeParse(content);
    if (!parsed.success) throw invalidCursor("this is not a cursor Scriptorium issued");
    if (parsed.data.o !== this.order) throw invalidCursor("this cursor belongs to another list or sort order");
    if (this.key.columnType === "PgTimestamp" && Number.isNaN(Date.parse(parsed.data.k))) throw invalidCursor("this is not a cursor Scriptorium issued");
    return parsed.data;
  }
}
