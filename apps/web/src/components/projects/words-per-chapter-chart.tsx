import { formatNumber, formatPrecisePercent } from "@/lib/projects";
import { cn } from "@/lib/utils";

interface ChapterWords {
  number: number;
  words: number;
}

/** Gridlines at round numbers (1, 2 or 5 times a power of ten), about four of them, the last one at or above `max`. */
function niceTicks(max: number): number[] {
  if (max <= 0) return [0];
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power;
  const top = Math.ceil(max / step) * step;
  return Array.from({ length: Math.round(top / step) + 1 }, (_, index) => index * step);
}

/** Above this many chapters only every fifth number is written under the bars, so they stay legible on a phone. */
const ALL_LABELS_UP_TO = 15;

/**
 * Words per chapter as bars, with the target per chapter as a reference
 * line. Plain HTML and CSS: it scales to any width, and each bar is a list
 * item that screen readers (and tests) can count and read.
 */
export function WordsPerChapterChart({ chapters, targetPerChapter, className }: { chapters: readonly ChapterWords[]; targetPerChapter: number; className?: string }) {
  const ticks = niceTicks(Math.max(targetPerChapter, ...chapters.map((chapter) => chapter.words)) * 1.1);
  const scaleMax = ticks.at(-1) ?? 1;
  const heightOf = (words: number) => `${(words / scaleMax) * 100}%`;
  const total = chapters.reduce((sum, chapter) => sum + chapter.words, 0);
  const average = chapters.length > 0 ? total / chapters.length : 0;

  return (
    <figure className={cn("grid gap-3", className)}>
      <div className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-2">
        {/* The y axis: tick labels, aligned with the gridlines beside them. */}
        <div className="relative h-56 w-12 text-right text-[11px] text-muted-foreground tabular-nums" aria-hidden="true">
          {ticks.map((tick) => (
            <span key={tick} className="absolute right-0 translate-y-1/2" style={{ bottom: heightOf(tick) }}>
              {formatNumber(tick)}
            </span>
          ))}
        </div>
        <div className="relative h-56 border-b border-l">
          {ticks.slice(1).map((tick) => (
            <div key={tick} className="absolute inset-x-0 border-t border-dashed border-border" style={{ bottom: heightOf(tick) }} aria-hidden="true" />
          ))}
          <ol className="absolute inset-0 flex items-end gap-[2px] px-1 sm:gap-1" aria-label="Words per chapter">
            {chapters.map((chapter) => {
              const share = targetPerChapter > 0 ? chapter.words / targetPerChapter - 1 : 0;
              return (
                <li
                  key={chapter.number}
                  className="group relative flex h-full min-w-0 flex-1 items-end"
                  title={`Chapter ${chapter.number}: ${formatNumber(chapter.words)} words`}
                >
                  <span className="sr-only">
                    Chapter {chapter.number}: {formatNumber(chapter.words)} words ({share >= 0 ? "+" : ""}
                    {formatPrecisePercent(share)} against the target)
                  </span>
                  <span
                    className="w-full rounded-t-sm bg-primary/75 transition-[height] duration-500 group-hover:bg-primary motion-reduce:transition-none"
                    style={{ height: heightOf(chapter.words) }}
                    aria-hidden="true"
                  />
                </li>
              );
            })}
          </ol>
          {targetPerChapter > 0 ? (
            <div className="pointer-events-none absolute inset-x-0 border-t-2 border-brand" style={{ bottom: heightOf(targetPerChapter) }} aria-hidden="true">
              <span className="absolute -top-5 right-1 rounded bg-background/90 px-1 text-[11px] font-medium text-brand">
                Target {formatNumber(Math.round(targetPerChapter))}
              </span>
            </div>
          ) : null}
        </div>
        {/* The x axis: chapter numbers under their bars. */}
        <div />
        <div className="flex gap-[2px] px-1 pt-1 text-center text-[11px] text-muted-foreground tabular-nums sm:gap-1" aria-hidden="true">
          {chapters.map((chapter, index) => (
            <span key={chapter.number} className="min-w-0 flex-1 overflow-visible whitespace-nowrap">
              {chapters.length <= ALL_LABELS_UP_TO || index === 0 || chapter.number % 5 === 0 ? chapter.number : ""}
            </span>
          ))}
        </div>
      </div>
      <figcaption className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-muted-foreground">
        <span className="flex items-center gap-1.5">
          <span className="size-2.5 rounded-sm bg-primary/75" aria-hidden="true" />
          Words per chapter (average {formatNumber(Math.round(average))})
        </span>
        {targetPerChapter > 0 ? (
          <span className="flex items-center gap-1.5">
            <span className="h-0.5 w-3 bg-brand" aria-hidden="true" />
            Target per chapter ({formatNumber(Math.round(targetPerChapter))})
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}
