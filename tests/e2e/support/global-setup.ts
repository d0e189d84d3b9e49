// Builds the production app once before the e2e files run. A local re-run skips the build when
// .next/BUILD_ID is newer than every source that goes into it; CI (a fresh clone, CI=true) always builds.
import { existsSync } from "node:fs";
import { ensureBuild } from "../../../server/cli/build";
import { appDir, chromiumPath } from "./paths";

export default function setup(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `e2e: no Chromium at ${chromiumPath}. Install Debian's chromium (bash .ci/run --setup-only does it); ` +
        "the harness never downloads a browser.",
    );
  }
  const force = process.env.CI ? "CI is set" : process.env.E2E_REBUILD ? "E2E_REBUILD is set" : undefined;
  const seconds = ensureBuild(appDir, { force, log: (line) => console.log(`[e2e] ${line}`) });
  if (seconds === null) console.log(`[e2e] ${appDir}/.next is up to date: skipping next build (E2E_REBUILD=1 forces one)`);
}
