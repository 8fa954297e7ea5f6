/** Test support for this package's tests and for the packages that test against it (`@scriptorium/domain/testing`). */
export { GitRepoFixture, skillFile, tempDir, writeFiles } from "./upstream-fixtures";
export { ownerOf, plantKey } from "./callers";
export { ChatCompletionsServer, completion, providerError, type Reply } from "./chat-completions-server";
export { HIGH_CONCEPT, WORLD } from "./llm-fixtures";
export { sampleBook, UNICODE_AUTHOR, UNICODE_LINES, UNICODE_TITLE } from "./sample-book";
export { convertToPdfWithLibreOffice, epubcheck, epubcheckProblems, pdfInfo, pdfPages, pdfText, type EpubCheckReport } from "./export-validators";
export { briefFor, CALL, planFor, sceneRefs } from "./offline-book";
