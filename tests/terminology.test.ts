// One word for the deposit: 定金 (binding deposit), never 订金 (an advance payment, refundable by
// law): catalogues, message templates, components, pages and the demo data say the same thing.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const dirs = ["lib", "components", "app", "scripts", "README.md"];

function files(p: string, out: string[] = []): string[] {
  const full = path.join(root, p);
  if (!fs.existsSync(full)) return out;
  if (fs.statSync(full).isFile()) return [...out, p];
  for (const entry of fs.readdirSync(full, { withFileTypes: true })) {
    const rel = path.join(p, entry.name);
    if (entry.isDirectory()) files(rel, out);
    else if (/\.(ts|tsx|json|md)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

describe("terminology", () => {
  it("says 定金, never 订金", () => {
    const wrong = dirs.flatMap((d) => files(d)).filter((f) => fs.readFileSync(path.join(root, f), "utf8").includes("\u8ba2\u91d1"));
    expect(wrong).toEqual([]);
  });
});
