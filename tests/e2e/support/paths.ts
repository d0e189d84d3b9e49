import { fileURLToPath } from "node:url";

/** The repository root (this file lives in tests/e2e/support/). */
export const projectRoot = fileURLToPath(new URL("../../../", import.meta.url)).replace(/\/$/, "");

/**
 * The Next.js app the e2e suite builds and serves: the project itself, unless E2E_APP_DIR points elsewhere
 * (used to check the harness against a throwaway app before the real one exists).
 */
export const appDir = process.env.E2E_APP_DIR ?? projectRoot;

/** Debian's Chromium (apt package chromium); the e2e harness never downloads a browser of its own. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
