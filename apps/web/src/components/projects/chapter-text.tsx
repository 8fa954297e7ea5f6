"use client";

import { ChevronLeftIcon, ChevronRightIcon } from "lucide-react";
import { Fragment, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectItemText, SelectTrigger, SelectValue } from "@/components/ui/select";
import { cn } from "@/lib/utils";

/** Paragraphs are separated by blank lines; a single line break inside one is just a wrapped line. */
function paragraphsOf(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, " ").trim())
    .filter((paragraph) => paragraph !== "");
}

/**
 * One chapter's scenes set as a book page: serif type, indented paragraphs,
 * and the scene break `* * *` between scenes.
 */
export function ChapterText<Scene extends { number: number; text: string }>(props: {
  heading: string;
  scenes: readonly Scene[];
  /** Above each scene: what can be done with it (edit, history), where the reader offers that. */
  sceneTools?: (scene: Scene) => ReactNode;
  className?: string;
}) {
  const { heading, scenes, sceneTools, className } = props;
  return (
    <article className={cn("mx-auto w-full max-w-prose font-serif text-[1.0625rem] leading-8 text-foreground/90", className)}>
      <h3 className="mb-6 text-center font-serif text-2xl leading-snug font-semibold tracking-tight text-foreground">{heading}</h3>
      {scenes.map((scene, index) => (
        <Fragment key={scene.number}>
          {index > 0 ? (
            <p className="my-6 text-center tracking-[0.5em] text-muted-foreground" role="separator" aria-label="Scene break">
              * * *
            </p>
          ) : null}
          {sceneTools ? sceneTools(scene) : null}
          {/* A book indents every paragraph but the first of a scene. */}
          <div className="[&>p+p]:indent-8">
            {paragraphsOf(scene.text).map((paragraph, paragraphIndex) => (
              <p key={paragraphIndex}>{paragraph}</p>
            ))}
          </div>
        </Fragment>
      ))}
    </article>
  );
}

interface ChapterNavigatorProps {
  id: string;
  /** Names the navigation landmark, so two navigators on one page can be told apart. */
  label: string;
  chapters: readonly { number: number; title: string }[];
  current: number;
  onChange: (chapterNumber: number) => void;
  className?: string;
}

/** Previous and next chapter, and a list to jump to any of them. */
export function ChapterNavigator({ id, label, chapters, current, onChange, className }: ChapterNavigatorProps) {
  const index = chapters.findIndex((chapter) => chapter.number === current);
  const previous = index > 0 ? chapters[index - 1] : undefined;
  const next = index >= 0 && index < chapters.length - 1 ? chapters[index + 1] : undefined;
  return (
    <nav aria-label={label} className={cn("flex items-center gap-2", className)}>
      <Button variant="outline" size="icon" disabled={!previous} onClick={() => previous && onChange(previous.number)} aria-label="Previous chapter">
        <ChevronLeftIcon aria-hidden="true" />
      </Button>
      <Select value={String(current)} onValueChange={(value) => onChange(Number(value))}>
        <SelectTrigger id={id} className="min-w-0 flex-1 [&>span]:min-w-0 [&>span]:truncate" aria-label="Chapter">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {chapters.map((chapter) => (
            <SelectItem key={chapter.number} value={String(chapter.number)}>
              <SelectItemText>{chapterLabel(chapter)}</SelectItemText>
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      <Button variant="outline" size="icon" disabled={!next} onClick={() => next && onChange(next.number)} aria-label="Next chapter">
        <ChevronRightIcon aria-hidden="true" />
      </Button>
    </nav>
  );
}

/** "Chapter 3: The Long Road", or "Chapter 3" for an untitled one. */
export function chapterLabel(chapter: { number: number; title: string }): string {
  return chapter.title ? `Chapter ${chapter.number}: ${chapter.title}` : `Chapter ${chapter.number}`;
}
