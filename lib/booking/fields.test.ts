import { describe, expect, it } from "vitest";
import { fieldDefinitionSchema } from "@/lib/validations/fields";
import { answersFromFormData, buildAnswersSchema, parseFieldDefinitions } from "./fields";

const label = (zh: string, en: string) => ({ "zh-CN": zh, en });
const options = (...values: string[]) => values.map((v) => ({ value: v, label: label(v, v) }));

const definitions = [
  { key: "name", type: "text", label: label("姓名", "Name"), required: true, min: 2, max: 20 },
  { key: "notes", type: "textarea", label: label("备注", "Notes"), max: 200 },
  { key: "idCard", type: "text", label: label("证件号", "ID"), pattern: "^\\d{17}[\\dX]$" },
  { key: "age", type: "number", label: label("年龄", "Age"), min: 0, max: 120 },
  { key: "phone", type: "phone", label: label("手机", "Mobile"), required: true },
  { key: "email", type: "email", label: label("邮箱", "Email") },
  { key: "visitDate", type: "date", label: label("首诊日期", "First visit") },
  { key: "gender", type: "select", label: label("性别", "Gender"), options: options("f", "m") },
  { key: "topics", type: "multiselect", label: label("项目", "Topics"), required: true, max: 2, options: options("a", "b", "c") },
  { key: "extras", type: "multiselect", label: label("加购", "Extras"), min: 2, options: options("x", "y", "z") },
  { key: "consent", type: "checkbox", label: label("同意条款", "Terms"), required: true },
  { key: "newsletter", type: "checkbox", label: label("订阅", "Newsletter") },
];
const valid = { name: "王小明", phone: "13800138000", topics: ["a"], consent: true };

/** Field key → messages of a failed parse. */
function errors(input: unknown, locale: "zh-CN" | "en" = "zh-CN"): Record<string, string[]> {
  const r = buildAnswersSchema(definitions, locale).safeParse(input);
  const out: Record<string, string[]> = {};
  for (const i of r.error?.issues ?? []) (out[String(i.path[0])] ??= []).push(i.message);
  return out;
}

describe("buildAnswersSchema", () => {
  it("accepts valid answers, strips unknown keys and normalises", () => {
    const r = buildAnswersSchema(definitions).parse({ ...valid, name: "  王小明 ", phone: "+86 138-0013-8000", hacker: "x", notes: "" });
    expect(r).toEqual({ name: "王小明", phone: "13800138000", topics: ["a"], extras: [], consent: true, newsletter: false });
    expect("hacker" in r).toBe(false);
  });

  it("coerces FormData strings for numbers and checkboxes", () => {
    const r = buildAnswersSchema(definitions).parse({ ...valid, age: " 42 ", consent: "on", newsletter: "true", topics: "b" });
    expect(r).toMatchObject({ age: 42, consent: true, newsletter: true, topics: ["b"] });
    expect(buildAnswersSchema(definitions).parse({ ...valid, newsletter: "off", age: "" })).toMatchObject({
      newsletter: false,
      age: undefined,
    });
  });

  it("reports required fields in the chosen language", () => {
    expect(errors({})).toEqual({
      name: ["请填写“姓名”"],
      phone: ["请填写“手机”"],
      topics: ["请选择“项目”"],
      consent: ["请勾选“同意条款”"],
    });
    expect(errors({ ...valid, name: "   " }, "en")).toEqual({ name: ["Name is required"] });
  });

  it("checks lengths, values, counts and patterns", () => {
    expect(errors({ ...valid, name: "王" }, "en")).toEqual({ name: ["Name must be at least 2 characters"] });
    expect(errors({ ...valid, notes: "x".repeat(201) })).toEqual({ notes: ["“备注”最多 200 个字符"] });
    expect(errors({ ...valid, age: "abc" }, "en")).toEqual({ age: ["Age must be a number"] });
    expect(errors({ ...valid, age: 121 }, "en")).toEqual({ age: ["Age must be at most 120"] });
    expect(errors({ ...valid, topics: ["a", "b", "c"] }, "en")).toEqual({ topics: ["Topics: choose at most 2"] });
    // Optional with min 2: empty is fine, one is not.
    expect(errors({ ...valid, extras: [] })).toEqual({});
    expect(errors({ ...valid, extras: "x" }, "en")).toEqual({ extras: ["Extras: choose at least 2"] });
    expect(errors({ ...valid, idCard: "12345" }, "en")).toEqual({ idCard: ["ID is not in the expected format"] });
    expect(errors({ ...valid, idCard: "11010519491231002X" })).toEqual({});
  });

  it("validates mainland mobile numbers, emails and dates", () => {
    expect(errors({ ...valid, phone: "12800138000" }, "en")).toEqual({ phone: ["Mobile must be a valid mainland China mobile number"] });
    expect(errors({ ...valid, phone: "1380013800" })).toEqual({ phone: ["“手机”必须是有效的手机号码"] });
    expect(errors({ ...valid, email: "not-an-email" }, "en")).toEqual({ email: ["Email must be a valid email address"] });
    expect(errors({ ...valid, email: "a@example.com" })).toEqual({});
    expect(errors({ ...valid, visitDate: "2026-02-30" }, "en")).toEqual({ visitDate: ["First visit must be a date (YYYY-MM-DD)"] });
    expect(errors({ ...valid, visitDate: "2026-02-28" })).toEqual({});
  });

  it("accepts only listed options", () => {
    expect(errors({ ...valid, gender: "x" }, "en")).toEqual({ gender: ["Gender: choose one of the listed options"] });
    expect(errors({ ...valid, topics: ["a", "z"] }, "en")).toEqual({ topics: ["Topics contains an option that is not listed"] });
    expect(buildAnswersSchema(definitions).parse({ ...valid, topics: ["a", "a", "c"], gender: "f" })).toMatchObject({
      topics: ["a", "c"],
      gender: "f",
    });
  });

  it("rejects values of the wrong type without crashing", () => {
    expect(errors({ ...valid, name: { $ne: 1 }, consent: "maybe" }, "en")).toEqual({
      name: ["Name is invalid"],
      consent: ["Terms is invalid"],
    });
  });

  it("reads a FormData submission", () => {
    const form = new FormData();
    form.append("f.name", "李雷");
    form.append("f.phone", "13912345678");
    form.append("f.topics", "a");
    form.append("f.topics", "c");
    form.append("f.consent", "on");
    form.append("f.age", "30");
    const raw = answersFromFormData(form, parseFieldDefinitions(definitions), "f.");
    expect(buildAnswersSchema(definitions).parse(raw)).toEqual({
      name: "李雷",
      phone: "13912345678",
      topics: ["a", "c"],
      extras: [],
      consent: true,
      newsletter: false,
      age: 30,
    });
  });
});

describe("field definitions", () => {
  it("rejects malformed definitions with a clear message", () => {
    const base = { key: "x", type: "text", label: label("字段", "Field") };
    expect(fieldDefinitionSchema.safeParse({ ...base, type: "color" }).success).toBe(false);
    expect(() => parseFieldDefinitions([{ ...base, type: "select" }])).toThrow(/0\.options: select fields need at least one option/);
    expect(() => parseFieldDefinitions([{ ...base, min: 5, max: 2 }])).toThrow(/min must not exceed max/);
    expect(() => parseFieldDefinitions([{ ...base, pattern: "(" }])).toThrow(/not a valid regular expression/);
    expect(() => parseFieldDefinitions([{ ...base, label: { "zh-CN": "字段" } }])).toThrow(/0\.label\.en/);
    expect(() => parseFieldDefinitions([base, base])).toThrow(/keys must be unique/);
    expect(() => parseFieldDefinitions([{ ...base, key: "1st" }])).toThrow(/key must start with a letter/);
    expect(() => buildAnswersSchema([{ ...base, type: "checkbox", max: 1 }])).toThrow(/min\/max do not apply to checkbox/);
  });

  it("keeps extra keys for the form and defaults required to false", () => {
    expect(parseFieldDefinitions([{ key: "x", type: "text", label: label("字段", "Field"), placeholder: "…" }])).toEqual([
      { key: "x", type: "text", label: label("字段", "Field"), placeholder: "…", required: false },
    ]);
  });
});
