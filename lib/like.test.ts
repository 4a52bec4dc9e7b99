import { describe, expect, it } from "vitest";
import { containsPattern, prefixPattern } from "./like";

describe("LIKE patterns for search terms", () => {
  it("escape %, _ and the escape character itself, so the term matches literally", () => {
    expect(containsPattern("50%")).toBe("%50\\%%");
    expect(containsPattern("a_b")).toBe("%a\\_b%");
    expect(containsPattern("c\\d")).toBe("%c\\\\d%");
    expect(containsPattern("张小满")).toBe("%张小满%");
    expect(prefixPattern("booking._")).toBe("booking.\\_%");
  });
});
