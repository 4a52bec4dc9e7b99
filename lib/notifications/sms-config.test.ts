import { describe, expect, it } from "vitest";
import { smsTemplateConfigFromEnv } from "./sms-config";

describe("SMS templates and signatures per message type", () => {
  it("takes the registered codes from env, the verification-code template separately, and keeps placeholders otherwise", () => {
    const config = smsTemplateConfigFromEnv({
      SMS_TEMPLATE_CODES: '{"booking_confirmed":"SMS_471234567","reminder":"2233445"}',
      SMS_TEMPLATE_VERIFICATION_CODE: "SMS_470000001",
      SMS_SIGN_NAMES: '{"verification_code":"约约验证"}',
    });
    expect(config.templates.booking_confirmed).toBe("SMS_471234567");
    expect(config.templates.reminder).toBe("2233445");
    expect(config.templates.verification_code).toBe("SMS_470000001");
    expect(config.templates.hold_expired).toBe("SMS_YUYUE_HOLD_EXPIRED");
    expect(config.signNames).toEqual({ verification_code: "约约验证" });
  });

  it("refuses a bad value at startup", () => {
    const base = { SMS_TEMPLATE_CODES: undefined, SMS_TEMPLATE_VERIFICATION_CODE: undefined, SMS_SIGN_NAMES: undefined };
    expect(() => smsTemplateConfigFromEnv({ ...base, SMS_TEMPLATE_CODES: "SMS_1" })).toThrow(/SMS_TEMPLATE_CODES must be a JSON object/);
    expect(() => smsTemplateConfigFromEnv({ ...base, SMS_TEMPLATE_CODES: '{"no_such_event":"SMS_1"}' })).toThrow(/SMS_TEMPLATE_CODES/);
    expect(smsTemplateConfigFromEnv(base).templates.verification_code).toBe("SMS_YUYUE_VERIFICATION_CODE");
  });
});
