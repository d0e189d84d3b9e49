// The house's layers, checked on the import graph of the source tree (ARCHITECTURE.md): lib/ is the domain and
// imports nothing of ours outside lib/; db/ (persistence and use cases) imports lib/; app/ and components/ sit on
// top; server/ and the entry files compose everything into running processes. No import circles anywhere. Imports
// written as `new URL("./x.ts", import.meta.url)` (how the chemistry worker loads its modules) count too.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const FOLDERS = ["app", "components", "db", "lib", "server"];
const ENTRY_FILES = ["instrumentation.ts", "proxy.ts", "next.config.js"];
const EXTENSIONS = [".ts", ".tsx", ".mts", ".js", ".mjs"];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (name === "migrations" || name === "node_modules") return [];
    if (statSync(path.join(root, rel)).isDirectory()) return sourceFiles(rel);
    return EXTENSIONS.includes(path.extname(name)) ? [rel] : [];
  });
}

function resolve(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = spec.slice(2);
  else if (spec.startsWith(".")) base = path.join(path.dirname(from), spec);
  else return null; // a package
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => path.join(base, `index${e}`))];
  for (const c of candidates) {
    try {
      if (statSync(path.join(root, c)).isFile()) return path.normalize(c);
    } catch {
      // try the next
    }
  }
  throw new Error(`${from}: cannot resolve "${spec}"`);
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"`;]*?\sfrom\s+["']([^"']+)["']|(?:^|\n)\s*import\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|new URL\(\s*["']([^"']+\.(?:ts|mjs))["']\s*,\s*import\.meta\.url\s*\)/g;

const files = [...FOLDERS.flatMap(sourceFiles), ...ENTRY_FILES];
const graph = new Map<string, Set<string>>(
  files.map((file) => {
    // Comments out (they may show an import as an example); `://` in strings is left alone.
    const text = readFileSync(path.join(root, file), "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/(^|[^:])\/\/.*$/gm, "$1");
    const targets = new Set<string>();
    for (const m of text.matchAll(IMPORT)) {
      const target = resolve(file, m[1] ?? m[2] ?? m[3] ?? m[4]!);
      if (target !== null && target !== file) targets.add(target);
    }
    return [path.normalize(file), targets];
  }),
);

const layer = (file: string) => file.split(path.sep)[0]!;

/**
 * Which layers each layer may import (besides itself). app/ and components/ are one layer, the UI: pages render
 * components, and client components call the server actions kept beside the pages.
 */
const ALLOWED: Record<string, string[]> = {
  lib: [],
  db: ["lib"],
  components: ["lib", "db", "app"],
  app: ["lib", "db", "components"],
  server: ["lib", "db"],
};

describe("the import graph", () => {
  it("is read from the whole tree", () => {
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get(path.normalize("lib/sandbox/worker.mjs"))).toContain(path.normalize("lib/sandbox/jobs.ts"));
    expect(graph.get(path.normalize("lib/sandbox/jobs.ts"))).toContain(path.normalize("lib/search/sandboxed.ts"));
  });

  it("points one way: lib/ imports nothing outside lib/, db/ nothing above it, nobody imports server/ but the entry files", () => {
    const wrong: string[] = [];
    for (const [file, targets] of graph) {
      const from = layer(file);
      const allowed = ALLOWED[from];
      if (!allowed) continue; // entry files compose everything
      for (const target of targets) {
        const to = layer(target);
        if (to !== from && !allowed.includes(to)) wrong.push(`${file} → ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("has no import circles", () => {
    // Tarjan's strongly connected components: any component of more than one file is a circle.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const circles: string[][] = [];
    let counter = 0;
    const visit = (v: string) => {
      index.set(v, counter);
      low.set(v, counter++);
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        if (component.length > 1) circles.push(component.sort());
      }
    };
    for (const v of graph.keys()) if (!index.has(v)) visit(v);
    expect(circles).toEqual([]);
  });
});
