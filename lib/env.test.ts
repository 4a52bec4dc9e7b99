import { describe, expect, it } from "vitest";
import { envFlag } from "./env";

describe("envFlag", () => {
  it("reads 1, true, yes and on in any case as on", () => {
    for (const value of ["1", "true", "TRUE", "Yes", "on", " on "]) expect(envFlag(value), value).toBe(true);
  });

  it("reads everything else, and unset, as off", () => {
    for (const value of [undefined, "", "0", "false", "no", "off", "enabled"]) expect(envFlag(value), String(value)).toBe(false);
  });
});
