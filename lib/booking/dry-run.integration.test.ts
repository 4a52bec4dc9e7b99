import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { setupTestDb } from "@/tests/db";
import { makeCustomer, makeService, makeSlot } from "@/tests/fixtures";
import { AppError } from "@/lib/errors";
import { dryRunRules } from "./dry-run";

setupTestDb();

describe("dryRunRules with an unsaved policy", () => {
  it("applies the draft policy instead of the saved one, and refuses an invalid draft in the reader's language", async () => {
    const db = getDb();
    const customer = await makeCustomer(db);
    const service = await makeService(db, { rules: {} });
    // 30+ days ahead: allowed by the saved policy (no notice, 10 years ahead).
    const slot = await makeSlot(db, service);
    const base = { customerId: customer.id, timeslotId: slot.id, locale: "zh-CN" as const };
    expect((await dryRunRules(base)).allowed).toBe(true);

    const draft = await dryRunRules({ ...base, businessPolicy: { maxAdvanceDays: 7 } });
    expect(draft.allowed).toBe(false);
    expect(draft.violations.map((v) => v.rule)).toContain("max_advance");

    const invalid = await dryRunRules({ ...base, businessPolicy: { maxAdvanceDays: -1 } }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(AppError);
    expect((invalid as AppError).code).toBe("VALIDATION_FAILED");
    expect((invalid as AppError).messageIn("zh-CN")).toMatch(/^未保存的预约政策有误：maxAdvanceDays: 数值过小/);
    const unknownKey = await dryRunRules({ ...base, locale: "en", businessPolicy: { holdMinute: 5 } }).catch((e: unknown) => e);
    expect((unknownKey as AppError).messageIn("en")).toMatch(/^The unsaved booking policy is invalid: .*holdMinute/);
  });
});
