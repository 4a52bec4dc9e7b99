import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

const cells = (csv: string) => csv.replace(/^\uFEFF/, "").split("\r\n")[1];

describe("CSV exports", () => {
  it("keep cells that would run as formulas as text", () => {
    for (const bad of ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\tx", "\rx", "＝1+1"]) {
      expect(cells(toCsv(["a"], [[bad]]))).toMatch(/^"?'/);
    }
  });

  it("quote a cell holding a semicolon, so a semicolon-locale spreadsheet starts no new cell at ;=", () => {
    expect(cells(toCsv(["a", "b"], [["x;=HYPERLINK(1)", "y"]]))).toBe('"x;=HYPERLINK(1)",y');
  });

  it("leave plain numbers and amounts alone", () => {
    expect(cells(toCsv(["a", "b", "c"], [["-12.50", 3, "+86"]]))).toBe("-12.50,3,+86");
  });
});
