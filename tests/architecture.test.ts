// Import arrows point down (issue 16 item 3): app/ → components/ → lib/ → db/, never back; no "use server"
// module inside components/; no import cycle between lib/ domains; a route folder imports no other route's files.
// The graph is computed from the import statements of every TypeScript file in the tree.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const skipDirs = new Set(["node_modules", ".next", ".data", ".git", "public", "test-results", "playwright-report"]);
const exts = [".ts", ".tsx", ".mts", ".mjs", ".js"];

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".next") || skipDirs.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(path.relative(root, full).split(path.sep).join("/"));
  }
  return out;
}

// Every module specifier: `import … from "x"`, `export … from "x"`, `import "x"`, `import("x")`, `vi.mock("x")` excluded.
const specifierPattern =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|(?:^|[\s;])import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

function resolve(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  else return null;
  const candidates = [base, ...exts.map((ext) => base + ext), ...exts.map((ext) => `${base}/index${ext}`)];
  for (const candidate of candidates) {
    const full = path.join(root, candidate);
    if (fs.existsSync(full) && fs.statSync(full).isFile()) return candidate;
  }
  return base;
}

type Edge = { from: string; to: string };

function graph(): { files: string[]; edges: Edge[] } {
  const files = walk(root);
  const edges: Edge[] = [];
  for (const file of files) {
    const source = stripComments(fs.readFileSync(path.join(root, file), "utf8"));
    for (const match of source.matchAll(specifierPattern)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      if (!specifier) continue;
      const to = resolve(file, specifier);
      if (to) edges.push({ from: file, to });
    }
  }
  return { files, edges };
}

const { files, edges } = graph();
const isTest = (file: string) => /\.test\.tsx?$/.test(file);
const productionEdges = edges.filter((edge) => !isTest(edge.from));

/** "lib/booking/reserve.ts" → "booking"; top-level files ("lib/errors.ts") are their own domain ("errors"). */
function libDomain(file: string): string {
  const parts = file.split("/");
  return parts.length > 2 ? parts[1]! : parts[1]!.replace(/\.tsx?$/, "");
}

/** The route folder a file under app/ belongs to: the deepest folder holding a page, layout, route or other route file. */
function routeFolder(file: string): string {
  let dir = path.posix.dirname(file);
  while (dir !== "app" && dir.startsWith("app")) {
    const names = fs.readdirSync(path.join(root, dir));
    if (names.some((name) => /^(page|layout|route|loading|error|not-found|template|default)\.tsx?$/.test(name))) return dir;
    dir = path.posix.dirname(dir);
  }
  return dir;
}

// Domain pairs whose cycle another change is removing. Nothing else may be listed here (empty since booking
// took its transitions out of lib/payments: booking → payments is the only direction).
const allowedDomainCycles: [string, string][] = [];

const upwardImports = (list: Edge[]) =>
  list.filter((edge) => /^(components|lib)\//.test(edge.from) && edge.to.startsWith("app/")).map((edge) => `${edge.from} → ${edge.to}`);

/** Cycles between lib/ domains (strongly connected components of the domain graph), each with the imports that close it. */
function domainCycles(list: Edge[], allowed: [string, string][] = allowedDomainCycles): { domains: string[]; links: string[] }[] {
  const libEdges = list
    .filter((edge) => edge.from.startsWith("lib/") && edge.to.startsWith("lib/"))
    .map((edge) => ({ ...edge, fromDomain: libDomain(edge.from), toDomain: libDomain(edge.to) }))
    .filter((edge) => edge.fromDomain !== edge.toDomain)
    // An allowed pair's imports between each other are left out, in both directions.
    .filter(
      (edge) => !allowed.some(([a, b]) => (edge.fromDomain === a && edge.toDomain === b) || (edge.fromDomain === b && edge.toDomain === a)),
    );
  const next = new Map<string, Set<string>>();
  for (const edge of libEdges) {
    if (!next.has(edge.fromDomain)) next.set(edge.fromDomain, new Set());
    next.get(edge.fromDomain)!.add(edge.toDomain);
  }
  // Tarjan's strongly connected components: every component with more than one domain holds a cycle.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        connect(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of next.keys()) if (!index.has(node)) connect(node);
  return components.map((domains) => ({
    domains,
    links: libEdges
      .filter((edge) => domains.includes(edge.fromDomain) && domains.includes(edge.toDomain))
      .map((edge) => `${edge.from} → ${edge.to}`),
  }));
}

const crossRouteImports = (list: Edge[], folderOf: (file: string) => string = routeFolder) =>
  list
    .filter((edge) => edge.from.startsWith("app/") && edge.to.startsWith("app/"))
    .filter((edge) => folderOf(edge.from) !== folderOf(edge.to))
    .map((edge) => `${edge.from} → ${edge.to}`);

describe("architecture", () => {
  it("finds the tree's imports", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.some((edge) => edge.from.startsWith("app/") && edge.to.startsWith("lib/"))).toBe(true);
    expect(resolve("app/dashboard/page.tsx", "../../lib/errors")).toBe("lib/errors.ts");
    expect(resolve("app/dashboard/page.tsx", "@/lib/errors")).toBe("lib/errors.ts");
    expect(libDomain("lib/booking/reserve.ts")).toBe("booking");
    expect(libDomain("lib/errors.ts")).toBe("errors");
  });

  it("components/ and lib/ import nothing from app/", () => {
    expect(upwardImports(productionEdges)).toEqual([]);
  });

  it('no "use server" module lives under components/', () => {
    const serverModules = files.filter(
      (file) =>
        file.startsWith("components/") && /^\s*["']use server["']/.test(stripComments(fs.readFileSync(path.join(root, file), "utf8"))),
    );
    expect(serverModules).toEqual([]);
  });

  it("lib/ domains import each other without a cycle", () => {
    expect(domainCycles(productionEdges)).toEqual([]);
  });

  it("lib/validations imports no domain; OpenAPI descriptions live in lib/api", () => {
    const fromValidations = productionEdges.filter(
      (edge) =>
        edge.from.startsWith("lib/validations/") && /^(lib|app|components)\//.test(edge.to) && !edge.to.startsWith("lib/validations/"),
    );
    expect(fromValidations).toEqual([]);
    expect(files.filter((file) => file.startsWith("lib/") && !file.startsWith("lib/api/") && /openapi/.test(file))).toEqual([]);
  });

  it("a route folder imports no other route folder's files", () => {
    expect(crossRouteImports(productionEdges)).toEqual([]);
  });

  it("each check fails on a made-up tree that breaks it", () => {
    expect(upwardImports([{ from: "components/x.tsx", to: "app/dashboard/actions.ts" }])).toHaveLength(1);
    expect(upwardImports([{ from: "lib/x/y.ts", to: "app/api/route.ts" }])).toHaveLength(1);
    const cycle = domainCycles([
      { from: "lib/a/one.ts", to: "lib/b/two.ts" },
      { from: "lib/b/two.ts", to: "lib/c/three.ts" },
      { from: "lib/c/three.ts", to: "lib/a/four.ts" },
      { from: "lib/c/three.ts", to: "lib/d/five.ts" },
    ]);
    expect(cycle.map((c) => c.domains)).toEqual([["a", "b", "c"]]);
    expect(cycle[0]!.links).toHaveLength(3);
    const pair = [
      { from: "lib/booking/x.ts", to: "lib/payments/y.ts" },
      { from: "lib/payments/y.ts", to: "lib/booking/z.ts" },
    ];
    expect(domainCycles(pair, [["booking", "payments"]])).toEqual([]);
    expect(domainCycles(pair)).toHaveLength(1);
    const folders: Record<string, string> = { "app/a/page.tsx": "app/a", "app/a/b/page.tsx": "app/a/b", "app/a/actions.ts": "app/a" };
    const folderOf = (file: string) => folders[file]!;
    expect(crossRouteImports([{ from: "app/a/b/page.tsx", to: "app/a/actions.ts" }], folderOf)).toHaveLength(1);
    expect(crossRouteImports([{ from: "app/a/page.tsx", to: "app/a/actions.ts" }], folderOf)).toEqual([]);
  });
});
