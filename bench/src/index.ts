import { printReport, type BenchResult } from "./report";
import { benchThroughput } from "./throughput";

/** `npm run bench`: every §7 target measured beside its baseline, in one run. */
const results: BenchResult[] = [...(await benchThroughput())];
printReport(results);
if (results.some((result) => !result.pass)) process.exitCode = 1;
