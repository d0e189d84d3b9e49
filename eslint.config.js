// @ts-check
import nextPlugin from "@next/eslint-plugin-next";
import drizzle from "eslint-plugin-drizzle";
import tseslint from "typescript-eslint";

/** A lint rule refusing imports from these top-level folders, by alias or by relative path. */
function layer(files, forbidden, message) {
  const regex = `^(@/|(\\.\\./)+)(${forbidden.join("|")})(/|$)`;
  return { files, rules: { "no-restricted-imports": ["error", { patterns: [{ regex, message: `${message} (ARCHITECTURE.md)` }] }] } };
}

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", "data/**", "test-results/**", "db/migrations/**", "lib/sandbox/worker.mjs", "next-env.d.ts"] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { "@next/next": nextPlugin },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["tests/**"],
    // Tests and fakes handle loosely typed JSON from the wire on purpose.
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-base-to-string": "off",
      "@typescript-eslint/require-await": "off",
    },
  },
  // No update or delete without a where clause (on the client, a transaction or a savepoint).
  {
    files: ["db/**", "server/**"],
    plugins: { drizzle },
    rules: {
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx", "sp"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx", "sp"] }],
    },
  },
  // The layers point one way (ARCHITECTURE.md); tests/unit/architecture/layers.test.ts checks the same on the whole
  // import graph, circles included, in every test run.
  layer(["lib/**"], ["db", "app", "components", "server"], "lib/ is the domain: it imports nothing of ours outside lib/"),
  layer(["db/**"], ["app", "components", "server"], "db/ (persistence and use cases) imports lib/ only"),
  layer(["app/**", "components/**"], ["server"], "server/ composes the processes; pages and components do not import it"),
  { files: ["**/*.js", "**/*.mjs"], ...tseslint.configs.disableTypeChecked },
);
