import { describe, expect, it } from "vitest";
import { errorText } from "./error-text";

describe("errorText", () => {
  it("a status parameter reads as the word the reader knows, never the enum", () => {
    expect(errorText("zh-CN", "cannotConfirm", { status: "cancelled" })).toBe("预约状态为 已取消，无法确认");
    expect(errorText("en", "cannotConfirm", { status: "no_show" })).not.toContain("no_show");
    expect(errorText("zh-CN", "onlyFailedResend", { status: "sent" })).toBe("只能重发失败的消息（状态：已发送）");
  });

  it("other parameters, numbers and unknown words pass through", () => {
    expect(errorText("zh-CN", "wechatHttp", { status: 502 })).toBe("微信服务暂时不可用（HTTP 502）");
    expect(errorText("zh-CN", "cannotConfirm", { status: "mystery" })).toBe("预约状态为 mystery，无法确认");
  });
});
