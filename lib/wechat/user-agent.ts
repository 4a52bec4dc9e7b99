/** The WeChat in-app browser (公众号 pages, chats): its user agent carries "MicroMessenger". */
export const isWechatBrowser = (userAgent: string | null | undefined) => /MicroMessenger/i.test(userAgent ?? "");
