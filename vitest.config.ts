import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      // Unit and integration files run two at a time: vitest's default on a 2-core machine is one (cores - 1), which
      // left a core idle while a file computed in its own process (RDKit's 41,000-molecule agreement test) or waited
      // for a database. Every suite has its own database and temporary folders. The e2e files run after them, one at
      // a time (fileParallelism: false), with the machine to themselves: they time servers and browsers.
      {
        resolve: { alias },
        // Two files at a time share the CPU: a unit test that reads thousands of real molecules in 4 s alone may take
        // twice that beside another, so the unit time limit (vitest's default 5 s) allows for it.
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node", maxWorkers: 2, testTimeout: 30_000 },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/e2e/support/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
          maxWorkers: 1,
        },
      },
    ],
  },
});
