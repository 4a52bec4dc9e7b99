export {
  type AnyEventData,
  type EventData,
  type EventInput,
  eventSchemas,
  isStaffEvent,
  type NotificationEvent,
  notificationEvents,
  parseEventData,
} from "./events";
export { escapeHtml, formatInHours, formatSpan, formatWhen, SMS_PARAM_MAX, smsValue } from "./format";
export { render } from "./render";
export { defaultSmsTemplateCodes, type SmsPayload, type SmsTemplateCodes, smsTemplateParams } from "./sms";
export type { Copy, Facts, LocaleCopy, RenderedMessage, RenderOptions } from "./types";
