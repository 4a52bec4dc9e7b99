import type { LocaleCopy } from "./types";

/** 简体中文文案。Facts arrive already formatted (times in the business zone, money as ¥). */
export const zhCN: LocaleCopy = {
  labels: {
    service: "服务",
    time: "时间",
    place: "地点",
    code: "预约码",
    amount: "金额",
    refund: "退款",
    previous: "原时间",
    customer: "顾客",
    phone: "电话",
    reason: "原因",
    manage: "查看预约",
    separator: "：",
  },
  greeting: (f) => `${f.customerName}，您好：`,
  footer: (f) => `${f.businessName} · 通过 Yuyue 预约`,
  events: {
    booking_confirmed: (f) => ({
      title: `预约成功：${f.serviceName}`,
      lead: `您已成功预约 ${f.businessName} 的 ${f.serviceName}，时间为 ${f.when}。到店时请出示预约码 ${f.bookingCode}。`,
    }),
    booking_pending_payment: (f) => ({
      title: `待支付：${f.serviceName}`,
      lead: `我们已为您保留 ${f.when} 的 ${f.serviceName}，请${f.payBy ? `在 ${f.payBy} 前` : "尽快"}支付 ${f.amount ?? ""}，逾期未付将自动释放。`,
      action: f.payUrl ? { label: "立即支付", url: f.payUrl } : undefined,
    }),
    payment_received: (f) => ({
      title: `支付成功：${f.amount ?? ""}`,
      lead: `我们已收到您为 ${f.serviceName} 支付的 ${f.amount ?? ""}，预约已确认。`,
    }),
    booking_cancelled: (f) => ({
      title: `预约已取消：${f.serviceName}`,
      lead: `您在 ${f.businessName} 预约的 ${f.serviceName}（${f.when}）已取消。`,
      note: f.refund ? `退款 ${f.refund} 将原路退回，到账时间以支付渠道为准。` : undefined,
    }),
    booking_rescheduled: (f) => ({
      title: `预约已改期：${f.serviceName}`,
      lead: `您的 ${f.serviceName} 已从 ${f.previousWhen ?? ""} 改到 ${f.when}。`,
    }),
    refund_issued: (f) => ({
      title: `退款已发起：${f.refund ?? ""}`,
      lead: `${f.serviceName} 的退款 ${f.refund ?? ""} 已发起，将原路退回，到账时间以支付渠道为准。`,
    }),
    hold_expired: (f) => ({
      title: `预约已过期：${f.serviceName}`,
      lead: `由于未在规定时间内完成支付，为您保留的 ${f.when} ${f.serviceName} 已释放。如仍需预约，请重新下单。`,
    }),
    waitlist_offer: (f) => ({
      title: `候补成功：${f.serviceName}`,
      lead: f.amount
        ? `您候补的 ${f.serviceName}（${f.when}）有名额了，已为您保留。请在 ${f.payBy ?? ""} 前支付 ${f.amount}，逾期名额将让给下一位候补。`
        : `您候补的 ${f.serviceName}（${f.when}）有名额了，已为您保留。请在 ${f.payBy ?? ""} 前确认预约，逾期名额将让给下一位候补。`,
      action: f.payUrl ? { label: f.amount ? "立即支付" : "确认预约", url: f.payUrl } : undefined,
    }),
    reminder: (f) => ({
      title: `预约提醒：${f.serviceName} ${f.inHours ?? ""}开始`,
      lead: `您预约的 ${f.serviceName} 将在 ${f.inHours ?? ""}（${f.when}）开始，地点：${f.place}。请准时到店并出示预约码 ${f.bookingCode}。`,
    }),
    staff_new_booking: (f) => ({
      title: `新预约：${f.customerName} · ${f.serviceName}`,
      lead: `${f.customerName} 预约了 ${f.serviceName}，时间为 ${f.when}，预约码 ${f.bookingCode}。`,
    }),
    staff_booking_cancelled: (f) => ({
      title: `预约取消：${f.customerName} · ${f.serviceName}`,
      lead: `${f.customerName} 的 ${f.serviceName}（${f.when}）已取消。`,
      note: f.refund ? `将退款 ${f.refund}。` : undefined,
    }),
    staff_refund_problem: (f) => ({
      title: `退款需处理：${f.customerName} · ${f.refund ?? ""}`,
      lead: `${f.customerName} 的 ${f.serviceName}（${f.when}，预约码 ${f.bookingCode}）退款 ${f.refund ?? ""} 未能完成。请在后台“收款”页重试，或到支付平台商户后台处理。`,
    }),
  },
};
