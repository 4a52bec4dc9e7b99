import type { Locale } from "@/lib/i18n/config";
import { readStoredText } from "@/lib/i18n/error-text";
import { formatFen } from "@/lib/money";
import { en } from "./copy-en";
import { zhCN } from "./copy-zh";
import { type AnyEventData, type EventInput, isStaffEvent, type NotificationEvent, parseEventData } from "./events";
import { escapeHtml, formatInHours, formatSpan, formatWhen } from "./format";
import { buildSms, defaultSmsTemplateCodes } from "./sms";
import type { Copy, Facts, LocaleCopy, RenderedMessage, RenderOptions } from "./types";

const copies: Record<Locale, LocaleCopy> = { "zh-CN": zhCN, en };

function toFacts(d: AnyEventData, locale: Locale): Facts {
  const zone = d.timezone;
  return {
    customerName: d.customerName,
    serviceName: d.serviceName,
    businessName: d.businessName,
    bookingCode: d.bookingCode,
    when: formatSpan(d.startsAt, d.endsAt, zone, locale),
    place: d.address ? `${d.businessName} · ${d.address}` : d.businessName,
    amount: d.amountFen === undefined ? undefined : formatFen(d.amountFen),
    refund: d.refundFen ? formatFen(d.refundFen) : undefined,
    payUrl: d.payUrl,
    payBy: d.payBy ? formatWhen(d.payBy, zone, locale) : undefined,
    previousWhen: d.previousStartsAt ? formatWhen(d.previousStartsAt, zone, locale) : undefined,
    inHours: d.hoursBefore === undefined ? undefined : formatInHours(d.hoursBefore, locale),
    reason: d.reason === undefined ? undefined : readStoredText(locale, d.reason),
    customerPhone: d.customerPhone,
    manageUrl: d.manageUrl,
  };
}

/** The detail rows under the lead paragraph; absent facts are left out. */
function rows(event: NotificationEvent, f: Facts, copy: LocaleCopy): [string, string][] {
  const l = copy.labels;
  const staff = isStaffEvent(event);
  const candidates: [string, string | undefined][] = [
    [l.customer, staff ? f.customerName : undefined],
    [l.phone, staff ? f.customerPhone : undefined],
    [l.service, f.serviceName],
    [l.time, f.when],
    [l.previous, f.previousWhen],
    [l.place, f.place],
    [l.code, f.bookingCode],
    [l.amount, f.amount],
    [l.refund, f.refund],
    [l.reason, f.reason],
  ];
  return candidates.filter((row): row is [string, string] => row[1] !== undefined);
}

function textBody(greeting: string | undefined, c: Copy, table: [string, string][], sep: string, footer: string) {
  const lines: string[] = [];
  if (greeting) lines.push(greeting, "");
  lines.push(c.lead, "");
  for (const [label, value] of table) lines.push(`${label}${sep}${value}`);
  if (c.action) lines.push("", `${c.action.label}${sep}${c.action.url}`);
  if (c.note) lines.push("", c.note);
  lines.push("", `— ${footer}`);
  return lines.join("\n");
}

const P = 'style="margin:0 0 16px;line-height:1.6"';

function htmlBody(locale: Locale, title: string, greeting: string | undefined, c: Copy, table: [string, string][], footer: string): string {
  const e = escapeHtml;
  const tr = table
    .map(
      ([label, value]) =>
        `<tr><td style="padding:4px 16px 4px 0;color:#666;white-space:nowrap">${e(label)}</td><td style="padding:4px 0">${e(value)}</td></tr>`,
    )
    .join("");
  const button = c.action
    ? `<p ${P}><a href="${e(c.action.url)}" style="display:inline-block;padding:10px 20px;background:#0f766e;color:#fff;border-radius:6px;text-decoration:none">${e(c.action.label)}</a></p>`
    : "";
  return [
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${e(title)}</title></head>`,
    `<body style="margin:0;background:#f6f6f6;font-family:-apple-system,'PingFang SC','Microsoft YaHei',Helvetica,Arial,sans-serif;color:#111">`,
    `<div style="max-width:560px;margin:0 auto;padding:24px;background:#fff">`,
    `<h1 style="font-size:20px;margin:0 0 16px">${e(title)}</h1>`,
    greeting ? `<p ${P}>${e(greeting)}</p>` : "",
    `<p ${P}>${e(c.lead)}</p>`,
    `<table role="presentation" style="border-collapse:collapse;margin:0 0 16px">${tr}</table>`,
    button,
    c.note ? `<p ${P}>${e(c.note)}</p>` : "",
    `<p style="margin:24px 0 0;color:#888;font-size:12px">${e(footer)}</p>`,
    `</div></body></html>`,
  ].join("");
}

/**
 * Renders one event for one recipient. Validates `data` first (a ZodError means the caller built
 * a bad payload; retrying will not help). Customer events greet the customer; staff copies do not.
 */
export function render<E extends NotificationEvent>(
  event: E,
  data: EventInput<E>,
  locale: Locale,
  options: RenderOptions = {},
): RenderedMessage {
  const parsed: AnyEventData = parseEventData(event, data);
  const copy = copies[locale];
  const facts = toFacts(parsed, locale);
  const base = copy.events[event](facts);
  const c: Copy = base.action || !facts.manageUrl ? base : { ...base, action: { label: copy.labels.manage, url: facts.manageUrl } };
  const greeting = isStaffEvent(event) ? undefined : copy.greeting(facts);
  const table = rows(event, facts, copy);
  const footer = copy.footer(facts);
  return {
    title: c.title,
    text: textBody(greeting, c, table, copy.labels.separator, footer),
    html: htmlBody(locale, c.title, greeting, c, table, footer),
    sms: buildSms(event, parsed, locale, { ...defaultSmsTemplateCodes, ...options.smsTemplateCodes }),
  };
}
