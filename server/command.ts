// How to run the production server (main.ts): Node with tsx's loader, so that it runs from its TypeScript source
// like the other commands. Shared by `npm start` and the end-to-end and benchmark harnesses.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository root (this file lives in server/). */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Command and arguments that start the server; run it with the built app's directory as cwd. */
export function serverCommand(): { command: string; args: string[] } {
  const loader = pathToFileURL(path.join(root, "node_modules", "tsx", "dist", "loader.mjs")).href;
  return { command: process.execPath, args: ["--import", loader, path.join(root, "server", "main.ts")] };
}
