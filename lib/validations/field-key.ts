/**
 * A custom field's key made from its labels, so staff never type one: the English label in
 * camelCase ("Where does it hurt?" → whereDoesItHurt), else `field`; a number is added until it is
 * unique among the service's other keys. Always matches the key rule of lib/validations/fields.ts.
 */
export function fieldKeyFrom(label: { "zh-CN": string; en: string }, taken: readonly string[]): string {
  const words = label.en
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
  let base = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join("");
  base = base.replace(/^[0-9]+/, "").slice(0, 40) || "field";
  const used = new Set(taken);
  if (!used.has(base) && base !== "field") return base;
  for (let n = base === "field" ? 1 : 2; ; n++) if (!used.has(`${base}${n}`)) return `${base}${n}`;
}
