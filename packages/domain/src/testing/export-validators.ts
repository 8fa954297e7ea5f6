import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";

/**
 * The independent checkers the export tests rely on: EPUBCheck, LibreOffice
 * and poppler, as Debian ships them (`.ci/run` installs them).
 */
const run = promisify(execFile);
const EPUBCHECK_JAR = "/usr/share/java/epubcheck.jar";

export interface EpubCheckMessage {
  ID: string;
  severity: "FATAL" | "ERROR" | "WARNING" | "USAGE" | "INFO" | "SUPPRESSED";
  message: string;
  locations: { path: string; line: number; column: number }[];
}

export interface EpubCheckReport {
  checker: { nFatal: number; nError: number; nWarning: number };
  messages: EpubCheckMessage[];
}

/** EPUBCheck's JSON report on a file. */
export async function epubcheck(path: string): Promise<EpubCheckReport> {
  const dir = mkdtempSync(join(tmpdir(), "epubcheck-"));
  const report = join(dir, "report.json");
  try {
    // C1-only JIT and the serial collector roughly halve the start-up of this short-lived JVM.
    const args = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", EPUBCHECK_JAR, path, "--json", report, "--quiet"];
    // Exit status 1 only means "problems found", which the report details.
    await run("java", args, { maxBuffer: 64 * 1024 * 1024 }).catch((error: { code?: number }) => {
      if (error.code !== 1) throw error;
    });
    return JSON.parse(readFileSync(report, "utf8")) as EpubCheckReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fatal errors, errors and warnings of a report, one readable line each, so a failing test prints them. */
export function epubcheckProblems(report: EpubCheckReport): string[] {
  return report.messages
    .filter((message) => ["FATAL", "ERROR", "WARNING"].includes(message.severity))
    .map((message) => {
      const where = message.locations.map((location) => `${location.path}:${location.line}:${location.column}`).join(", ");
      return `${message.severity} ${message.ID} ${where}: ${message.message}`;
    });
}

/** LibreOffice opens a document and saves it as PDF; the PDF's path, or an error if it could not. */
export async function convertToPdfWithLibreOffice(path: string, outDir: string): Promise<string> {
  // A profile of its own, so conversions can run side by side and leave nothing behind.
  const profile = mkdtempSync(join(tmpdir(), "soffice-profile-"));
  try {
    await run("soffice", [`-env:UserInstallation=file://${profile}`, "--headless", "--convert-to", "pdf", "--outdir", outDir, path], { timeout: 120_000 });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  const pdf = join(outDir, basename(path).replace(/\.[^.]+$/, ".pdf"));
  // soffice can exit 0 without converting; the file is the proof.
  if (!existsSync(pdf)) throw new Error(`LibreOffice did not convert ${path}`);
  return pdf;
}

/** `pdfinfo`'s fields, e.g. `Pages`, `Page size`, `Title`. */
export async function pdfInfo(path: string): Promise<Record<string, string>> {
  const { stdout } = await run("pdfinfo", ["-enc", "UTF-8", path]);
  return Object.fromEntries(
    stdout
      .split("\n")
      .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1] ?? "", match[2] ?? ""]),
  );
}

/** Each page's text as `pdftotext` extracts it, runs of whitespace made single spaces. */
export async function pdfPages(path: string): Promise<string[]> {
  const { stdout } = await run("pdftotext", ["-enc", "UTF-8", path, "-"], { maxBuffer: 64 * 1024 * 1024 });
  return stdout.split("\f").map((page) => page.replace(/\s+/g, " ").trim());
}

/** The whole PDF's text, runs of whitespace made single spaces. */
export async function pdfText(path: string): Promise<string> {
  return (await pdfPages(path)).join(" ");
}
