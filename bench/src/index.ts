import { benchCollections } from "./collections";
import { benchContents } from "./contents";
import { benchDashboard } from "./dashboard";
import { benchDistributed } from "./distributed";
import { benchExports } from "./exports";
import { benchFuzz } from "./fuzz";
import { benchGeneration } from "./generation";
import { benchHeavyWork } from "./heavy";
import { benchLoad } from "./load";
import { benchProse } from "./prose";
import { printReport, type BenchResult } from "./report";
import { benchReview } from "./review";
import { benchThroughput } from "./throughput";

const PARTS: Record<string, () => Promise<BenchResult[]> | BenchResult[]> = {
  throughput: benchThroughput,
  collections: benchCollections,
  contents: benchContents,
  review: benchReview,
  dashboard: benchDashboard,
  generation: benchGeneration,
  prose: benchProse,
  exports: benchExports,
  heavy: benchHeavyWork,
  distributed: benchDistributed,
  load: benchLoad,
  fuzz: benchFuzz,
};

/** `npm run bench`: every target measured beside its baseline, in one run; name parts (`npm run bench -- throughput`) to run only those. */
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in PARTS));
if (unknown.length > 0) throw new Error(`unknown benchmark part: ${unknown.join(", ")} (parts: ${Object.keys(PARTS).join(", ")})`);
const results: BenchResult[] = [];
for (const [name, run] of Object.entries(PARTS)) {
  if (chosen.length === 0 || chosen.includes(name)) results.push(...(await run()));
}
printReport(results);
if (results.some((result) => !result.pass)) process.exitCode = 1;
