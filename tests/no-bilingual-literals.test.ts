import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import en from "@/lib/i18n/messages/en.json";
import zhCN from "@/lib/i18n/messages/zh-CN.json";

const root = path.resolve(import.meta.dirname, "..");
const dirs = ["app", "lib", "components", "db"];
// A "中文 / English" literal: messages come from the catalogues in the reader's language instead.
const bilingual = /[\u4e00-\u9fa5][^"\n`]* \/ [A-Za-z]/u;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

describe("messages come from the catalogues", () => {
  it('no "中文 / English" literal in app, lib, components or db', () => {
    const hits = dirs
      .flatMap((d) => sources(path.join(root, d)))
      .flatMap((f) =>
        readFileSync(f, "utf8")
          .split("\n")
          .flatMap((line, i) => (bilingual.test(line) ? [`${path.relative(root, f)}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(hits).toEqual([]);
  });

  it("every errors key used in code exists in both languages", () => {
    const used = new Set<string>();
    for (const f of dirs.flatMap((d) => sources(path.join(root, d)))) {
      if (f.endsWith(".test.ts")) continue;
      for (const m of readFileSync(f, "utf8").matchAll(/new AppError\(\s*"[A-Z_]+",\s*"([a-z][A-Za-z0-9]*)"/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((k) => !(k in en.errors) || !(k in zhCN.errors));
    expect(missing).toEqual([]);
    expect(Object.keys(en.errors).sort()).toEqual(Object.keys(zhCN.errors).sort());
  });
});
