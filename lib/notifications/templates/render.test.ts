import { describe, expect, it } from "vitest";
import { type EventInput, type NotificationEvent, notificationEvents } from "./events";
import { formatSpan, formatWhen, smsValue } from "./format";
import { render } from "./render";
import { smsTemplateParams } from "./sms";

// Thu 26 Nov 2026, 14:30–15:30 Asia/Shanghai (06:30–07:30 UTC). Process TZ is irrelevant.
const base = {
  bookingCode: "YY8K2Q",
  customerName: "张三",
  serviceName: "剪发",
  businessName: "Lotus 美发",
  address: "上海市徐汇区漕溪北路 1 号",
  startsAt: new Date("2026-11-26T06:30:00Z"),
  endsAt: new Date("2026-11-26T07:30:00Z"),
  timezone: "Asia/Shanghai",
};

const samples: { [E in NotificationEvent]: EventInput<E> } = {
  booking_confirmed: { ...base, amountFen: 8800 },
  // pay by Wed 25 Nov 2026 21:00 Shanghai
  booking_pending_payment: { ...base, amountFen: 8800, payUrl: "https://yuyue.local/pay/YY8K2Q", payBy: "2026-11-25T13:00:00Z" },
  payment_received: { ...base, amountFen: 8800 },
  booking_cancelled: { ...base, refundFen: 4400 },
  // previously Wed 25 Nov 2026 10:00 Shanghai
  booking_rescheduled: { ...base, previousStartsAt: new Date("2026-11-25T02:00:00Z") },
  refund_issued: { ...base, refundFen: 8800 },
  hold_expired: base,
  waitlist_offer: { ...base, amountFen: 8800, payUrl: "https://yuyue.local/pay/YY8K2Q", payBy: "2026-11-25T13:00:00Z" },
  reminder: { ...base, hoursBefore: 24 },
  staff_new_booking: { ...base, customerPhone: "13800138000", amountFen: 8800 },
  staff_booking_cancelled: { ...base, refundFen: 0, reason: "顾客临时有事" },
  staff_refund_problem: { ...base, refundFen: 8800, reason: "WeChat ABNORMAL" },
};

const renderSample = <E extends NotificationEvent>(event: E, locale: "zh-CN" | "en") => render(event, samples[event], locale);

describe("render: every event in both languages", () => {
  for (const event of notificationEvents) {
    it(`${event} shows the local time (zh-CN and en) and a matching SMS`, () => {
      const zh = renderSample(event, "zh-CN");
      const en = renderSample(event, "en");
      expect(zh.text).toContain("11月26日 周四 14:30–15:30");
      expect(zh.html).toContain("11月26日 周四 14:30–15:30");
      expect(en.text).toContain("Thu, Nov 26, 2:30 PM – 3:30 PM");
      expect(en.html).toContain("Thu, Nov 26, 2:30 PM – 3:30 PM");
      expect(zh.title).not.toBe(en.title);
      expect(zh.html).toContain('<html lang="zh-CN">');

      expect(Object.keys(zh.sms.params).sort()).toEqual([...smsTemplateParams[event]].sort());
      for (const value of Object.values(zh.sms.params)) expect(Array.from(value).length).toBeLessThanOrEqual(35);
      if (zh.sms.params.time) expect(zh.sms.params.time).toBe("11月26日 周四 14:30");
    });
  }
});

describe("render: event details", () => {
  it("a waitlist offer links to paying it, or to accepting a free one, with its deadline", () => {
    const paid = renderSample("waitlist_offer", "zh-CN");
    expect(paid.text).toContain("立即支付：https://yuyue.local/pay/YY8K2Q");
    expect(paid.text).toContain("11月25日 周三 21:00 前支付 ¥88.00");
    const free = render("waitlist_offer", { ...base, payUrl: "https://yuyue.local/me/waitlist/1", payBy: "2026-11-25T13:00:00Z" }, "en");
    expect(free.text).toContain("Accept: https://yuyue.local/me/waitlist/1");
    expect(free.text).toContain("accept it by");
  });

  it("pending payment carries the pay link, amount and deadline", () => {
    const zh = renderSample("booking_pending_payment", "zh-CN");
    expect(zh.text).toContain("立即支付：https://yuyue.local/pay/YY8K2Q");
    expect(zh.text).toContain("在 11月25日 周三 21:00 前支付 ¥88.00");
    expect(zh.html).toContain('href="https://yuyue.local/pay/YY8K2Q"');
    expect(zh.sms).toEqual({
      templateCode: "SMS_YUYUE_PENDING_PAYMENT",
      params: { name: "张三", service: "剪发", time: "11月26日 周四 14:30", amount: "¥88.00", code: "YY8K2Q" },
    });
    expect(renderSample("booking_pending_payment", "en").text).toContain("Pay now: https://yuyue.local/pay/YY8K2Q");
  });

  it("cancellation mentions the refund only when there is one", () => {
    expect(renderSample("booking_cancelled", "zh-CN").text).toContain("退款 ¥44.00 将原路退回");
    expect(renderSample("booking_cancelled", "en").text).toContain("A refund of ¥44.00");
    const none = render("booking_cancelled", base, "en");
    expect(none.text).not.toContain("Refund");
    expect(none.sms.params.refund).toBe("¥0.00");
  });

  it("reminder says in N hours; reschedule shows both times", () => {
    expect(renderSample("reminder", "zh-CN").title).toBe("预约提醒：剪发 24 小时后开始");
    expect(renderSample("reminder", "en").text).toContain("starts in 24 hours (Thu, Nov 26, 2:30 PM – 3:30 PM)");
    expect(render("reminder", { ...base, hoursBefore: 1 }, "en").title).toBe("Reminder: 剪发 in 1 hour");
    expect(renderSample("reminder", "zh-CN").sms.params.hours).toBe("24");
    expect(renderSample("booking_rescheduled", "zh-CN").text).toContain("已从 11月25日 周三 10:00 改到 11月26日 周四 14:30–15:30");
    expect(renderSample("booking_rescheduled", "en").text).toContain("from Wed, Nov 25, 10:00 AM to Thu, Nov 26");
  });

  it("staff copies name the customer and skip the customer greeting", () => {
    const staff = renderSample("staff_new_booking", "zh-CN");
    expect(staff.title).toBe("新预约：张三 · 剪发");
    expect(staff.text).toContain("电话：13800138000");
    expect(staff.text).not.toContain("您好");
    expect(renderSample("booking_confirmed", "zh-CN").text.startsWith("张三，您好：")).toBe(true);
  });

  it("accepts ISO strings (payloads read back from the outbox) and applies template code overrides", () => {
    const fromJson = render("booking_confirmed", JSON.parse(JSON.stringify(samples.booking_confirmed)), "zh-CN", {
      smsTemplateCodes: { booking_confirmed: "SMS_123456789" },
    });
    expect(fromJson.text).toContain("11月26日 周四 14:30–15:30");
    expect(fromJson.sms.templateCode).toBe("SMS_123456789");
  });
});

describe("render: safety", () => {
  const hostile = { ...base, customerName: `<script>alert("x")</script>`, serviceName: `Cut & "Style" <b>` };

  it("escapes customer-controlled text in HTML", () => {
    const { html, text } = render("staff_new_booking", hostile, "en");
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("Cut &amp; &quot;Style&quot; &lt;b&gt;");
    expect(text).toContain(`<script>alert("x")</script>`); // plain text stays verbatim
  });

  it("rejects non-http pay links and unknown time zones", () => {
    expect(() => render("booking_pending_payment", { ...base, amountFen: 1, payUrl: "javascript:alert(1)" }, "en")).toThrow();
    expect(() => render("booking_confirmed", { ...base, timezone: "Mars/Olympus" }, "en")).toThrow();
  });

  it("keeps SMS params within 35 characters and free of 【】", () => {
    const long = render("booking_confirmed", { ...base, serviceName: "【特惠】".concat("深层清洁护理".repeat(10)) }, "zh-CN");
    const service = long.sms.params.service ?? "";
    expect(Array.from(service)).toHaveLength(35);
    expect(service.endsWith("…")).toBe(true);
    expect(service).not.toMatch(/[【】]/);
    expect(smsValue("a\nb")).toBe("a b");
  });
});

describe("time formatting in the business zone", () => {
  it("crosses midnight into the next local day", () => {
    // 16:30 UTC Thu = Fri 27 Nov 00:30 in Shanghai
    expect(formatWhen(new Date("2026-11-26T16:30:00Z"), "Asia/Shanghai", "zh-CN")).toBe("11月27日 周五 00:30");
    // Thu 23:30 → Fri 00:30 spans two local days
    expect(formatSpan(new Date("2026-11-26T15:30:00Z"), new Date("2026-11-26T16:30:00Z"), "Asia/Shanghai", "en")).toBe(
      "Thu, Nov 26, 11:30 PM – Fri, Nov 27, 12:30 AM",
    );
  });

  it("follows DST in zones that have it", () => {
    // New York springs forward on Sun 8 Mar 2026: 07:30 UTC = 3:30 AM EDT (UTC-4), not 2:30 AM
    expect(formatWhen(new Date("2026-03-08T07:30:00Z"), "America/New_York", "en")).toBe("Sun, Mar 8, 3:30 AM");
    // the day before, 07:30 UTC = 2:30 AM EST (UTC-5)
    expect(formatWhen(new Date("2026-03-07T07:30:00Z"), "America/New_York", "en")).toBe("Sat, Mar 7, 2:30 AM");
  });
});
