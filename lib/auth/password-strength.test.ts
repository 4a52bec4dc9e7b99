import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { assertStrongPassword } from "./password-strength";

const refusal = (password: string, personal: string[] = []) => {
  try {
    assertStrongPassword(password, personal);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return { code: (e as AppError).code, key: (e as AppError).key, en: (e as AppError).messageIn("en") };
  }
};

describe("new passwords", () => {
  it("are refused when on the common-password list", () => {
    for (const p of ["12345678", "password", "qwertyuiop", "iloveyou1", "abc123456", "88888888"]) {
      expect(refusal(p)?.code, p).toBe("VALIDATION_FAILED");
    }
    expect(refusal("12345678")).toMatchObject({ key: "passwordCommon", en: expect.stringContaining("most common") });
  });

  it("are refused when easy to guess or built from the account's own name, e-mail or phone", () => {
    expect(refusal("aaaaaaaaaa")?.key).toMatch(/password(Weak|Common)/);
    expect(refusal("zhangwei-13800000001", ["张伟", "zw@example.com", "13800000001"])?.key).toBe("passwordPersonal");
    expect(refusal("mymail2026!", ["mymail2026@example.com"])?.key).toBe("passwordPersonal");
  });

  it("pass when long enough and uncommon", () => {
    for (const p of ["a-long-passphrase-9", "customer-pass-1", "password-123", "correct horse battery"])
      expect(refusal(p), p).toBeUndefined();
  });
});
