// Debian's Chromium driven by playwright-core. Nothing here downloads a browser.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page, type Request } from "playwright-core";
import { chromiumPath, projectRoot } from "./paths";

// The machine has no network: without the background-networking flags Chromium keeps trying (and failing) to
// reach Google's hosts. --no-sandbox because the tests run as root.
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
}

/** What went wrong in the page, so a test can assert that nothing did (or that no injected script ran). */
export interface PageProblems {
  /** console.error messages, also Chromium's own (a failed resource load, a CSP violation), but not a missing favicon */
  consoleErrors: string[];
  /** uncaught exceptions and unhandled rejections in the page */
  pageErrors: string[];
  /** alert/confirm/prompt dialogs that opened (each is dismissed): a sign of injected script */
  dialogs: string[];
  /** requests that failed at the network level (not HTTP error statuses) */
  failedRequests: string[];
}

export interface NotebookPage extends PageProblems {
  page: Page;
  context: BrowserContext;
  /** All the problems above as one readable string, "" when there are none. */
  problems(): string;
  close(): Promise<void>;
}

/**
 * ERR_ABORTED is Chromium cancelling a request it no longer needs, not the server failing, when the request is:
 * a Next.js prefetch of a linked page (?_rsc=) or the rest of a server action's answer, cancelled when the page
 * navigates or the action redirects; or an image, font or media load whose element left the page (a structure
 * picture still loading when the user moves on); or the tab icon, which the browser fetches for itself. A server that fails answers with a status (logged to the console
 * as "Failed to load resource") or resets the connection (another error text), both still reported.
 */
function cancelledByBrowser(req: Request): boolean {
  const url = new URL(req.url());
  if (url.searchParams.has("_rsc") || req.headers()["next-action"] !== undefined) return true;
  // The tab icon (app/icon.svg): fetched by the browser, not by an element, and dropped when the page moves on.
  if (url.pathname === "/icon.svg") return true;
  return ["image", "font", "media"].includes(req.resourceType());
}

/** A new page in its own context (own cookies), with relative `page.goto("/x")` resolved against baseURL. */
export async function newPage(browser: Browser, baseURL: string): Promise<NotebookPage> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  const failedRequests: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const loc = msg.location();
    // Chromium asks for /favicon.ico by itself and logs a 404 as a console error; that is not the page's doing.
    if (loc.url.endsWith("/favicon.ico")) return;
    consoleErrors.push(loc.url ? `${msg.text()} (${loc.url}:${loc.lineNumber})` : msg.text());
  });
  page.on("pageerror", (err) => pageErrors.push(err.stack ?? String(err)));
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on("requestfailed", (req) => {
    const error = req.failure()?.errorText ?? "failed";
    if (error === "net::ERR_ABORTED" && cancelledByBrowser(req)) return;
    failedRequests.push(`${req.method()} ${req.url()}: ${req.failure()?.errorText ?? "failed"}`);
  });
  return {
    page,
    context,
    consoleErrors,
    pageErrors,
    dialogs,
    failedRequests,
    problems() {
      const parts: string[] = [];
      const add = (label: string, items: string[]) => {
        if (items.length) parts.push(`${label}:\n  ${items.join("\n  ")}`);
      };
      add("console errors", consoleErrors);
      add("page errors", pageErrors);
      add("dialogs", dialogs);
      add("failed requests", failedRequests);
      return parts.join("\n");
    },
    close: () => context.close(),
  };
}

/** Full-page PNG at test-results/screenshots/<name>.png (gitignored); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(projectRoot, "test-results", "screenshots");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, "-")}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
