// Judges the checks.json files that `conformance server -o DIR` wrote:
//   node check.mjs DIR scenario...
// Every named scenario must have results. A run is clean when no check
// failed, except checks whose error starts with "Not testable": those need
// the reference server's diagnostic tools (test_missing_capability,
// test_logging_tool, …), which a HubSpot server does not have. They are
// listed, so a new kind of failure never hides among them.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [dir, ...scenarios] = process.argv.slice(2);
if (!dir || scenarios.length === 0) {
  console.error("usage: node check.mjs RESULTS_DIR SCENARIO...");
  process.exit(2);
}
let bad = false;
for (const scenario of scenarios) {
  const runs = readdirSync(dir).filter((d) => d.startsWith(`server-${scenario}-`));
  if (runs.length !== 1) {
    console.log(`✗ ${scenario}: ${runs.length} result directories, want 1 (did the suite crash?)`);
    bad = true;
    continue;
  }
  const checks = JSON.parse(readFileSync(join(dir, runs[0], "checks.json"), "utf8"));
  const count = (s) => checks.filter((c) => c.status === s).length;
  const failed = checks.filter((c) => c.status === "FAILURE");
  const untestable = failed.filter((c) => (c.errorMessage ?? "").startsWith("Not testable"));
  const real = failed.filter((c) => !untestable.includes(c));
  const ok = real.length === 0 && count("SUCCESS") > 0;
  console.log(`${ok ? "✓" : "✗"} ${scenario}: ${count("SUCCESS")} passed, ${real.length} failed, ` +
    `${untestable.length} not testable, ${count("WARNING")} warnings, ${count("SKIPPED")} skipped`);
  for (const c of untestable) console.log(`    not testable: ${c.id}: ${c.errorMessage}`);
  for (const c of checks.filter((c) => c.status === "WARNING")) console.log(`    warning: ${c.id}: ${c.errorMessage ?? c.description}`);
  for (const c of real) console.log(`    FAILED: ${c.id}: ${c.errorMessage ?? c.description}`);
  if (!ok) bad = true;
}
process.exit(bad ? 1 : 0);
