import { describe, expect, it } from "vitest";
import { fieldKeyFrom } from "./field-key";
import { fieldDefinitionsSchema } from "./fields";

const label = (en: string, zh = "中文") => ({ "zh-CN": zh, en });

describe("fieldKeyFrom", () => {
  it("camel-cases the English label", () => {
    expect(fieldKeyFrom(label("Where does it hurt?"), [])).toBe("whereDoesItHurt");
    expect(fieldKeyFrom(label("Allergies"), [])).toBe("allergies");
    expect(fieldKeyFrom(label("  2nd phone number "), [])).toBe("ndPhoneNumber");
  });

  it("numbers a Chinese-only label and any repeat, so keys stay unique", () => {
    expect(fieldKeyFrom(label("", "过敏史"), [])).toBe("field1");
    expect(fieldKeyFrom(label("", "备注"), ["field1"])).toBe("field2");
    expect(fieldKeyFrom(label("Notes"), ["notes"])).toBe("notes2");
    expect(fieldKeyFrom(label("Notes"), ["notes", "notes2"])).toBe("notes3");
  });

  it("always passes the key rule the server checks", () => {
    const labels = ["Where does it hurt?", "", "É à ü", "123", "a".repeat(200), "Hello_world-again"];
    const keys: string[] = [];
    for (const en of labels) keys.push(fieldKeyFrom(label(en), keys));
    const defs = keys.map((key) => ({ key, type: "text", label: label("x") }));
    expect(fieldDefinitionsSchema.safeParse(defs).success).toBe(true);
  });
});
