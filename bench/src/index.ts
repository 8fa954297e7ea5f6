import { benchCollections } from "./collections";
import { benchDistributed } from "./distributed";
import { benchExports } from "./exports";
import { benchFuzz } from "./fuzz";
import { benchGeneration } from "./generation";
import { benchLoad } from "./load";
import { printReport, type BenchResult } from "./report";
import { benchThroughput } from "./throughput";

/** `npm run bench`: every target measured beside its baseline, in one run. */
const results: BenchResult[] = [...(await benchThroughput()), ...(await benchCollections()), ...(await benchGeneration()), ...(await benchExports()), ...(await benchDistributed()), ...(await benchLoad()), ...benchFuzz()];
printReport(results);
if (results.some((result) => !result.pass)) process.exitCode = 1;
