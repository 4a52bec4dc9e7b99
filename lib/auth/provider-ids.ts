/** Auth.js provider ids, importable without Auth.js itself (forms and actions name them). */
export const PHONE_CODE_PROVIDER = "sms-code";
