/**
 * The one way server code writes to the log: every line goes through `redact`, so logs never carry
 * query strings, password hashes, tokens or personal data (phone numbers, e-mail addresses, the
 * parameters of a failed SQL statement, which hold whatever the row held). Errors are written as
 * name, message and stack, redacted, with their cause; never as the object (a driver error carries
 * the query's parameters in its fields).
 */
const rules: [RegExp, string | ((match: string, ...groups: string[]) => string)][] = [
  // drizzle's "Failed query: …\nparams: a,b,c" and postgres.js' parameters: the row's values
  [/(\bparams?:)[^\n]*/gi, "$1 [redacted]"],
  [/("?(?:parameters|params)"?\s*[:=]\s*)\[[^\]]*\]/gi, "$1[redacted]"],
  // a URL's or path's query string
  [/((?:https?:\/\/[^\s?#"'<>]+)|(?:\/[\w\-./~%]*))\?[^\s"'<>#)]*/g, "$1?[redacted]"],
  // password hashes (scrypt$N$r$p$salt$hash, bcrypt, argon2)
  [/\bscrypt\$[^\s"',;]+/g, "[password-hash]"],
  [/\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}/g, "[password-hash]"],
  [/\$argon2(?:id|i|d)\$[^\s"',;]+/g, "[password-hash]"],
  [/\bBearer\s+[\w\-.~+/]+=*/gi, "Bearer [redacted]"],
  // secrets by name in JSON or key=value text
  [
    /(["']?(?:password|passwordHash|password_hash|newPassword|currentPassword|otp|token|secret|authorization)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|(?!Bearer \[)[^\s,;&}]+)/gi,
    "$1[redacted]",
  ],
  // encrypted values (no secret, but no reason to keep them either)
  [/\bpii1:[\w-]+:[\w-]+/g, "[pii]"],
  // e-mail addresses: first letter and domain kept
  [/\b([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g, "$1***@$2"],
  // mainland mobile numbers in any spelling: 138****0001
  [/(?<![\d*])(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)/g, "$1****$2"],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of rules) out = out.replace(pattern, replacement as string);
  return out;
}

/** A value as one redacted log string: errors as name, message, stack and cause; anything else as text or JSON. */
export function forLog(value: unknown, depth = 0): string {
  if (value instanceof Error) {
    const head = value.stack ?? `${value.name}: ${value.message}`;
    const withMessage = head.includes(value.message) ? head : `${value.name}: ${value.message}\n${head}`;
    const cause = value.cause !== undefined && depth < 3 ? `\n  [cause] ${forLog(value.cause, depth + 1)}` : "";
    return redact(withMessage) + cause;
  }
  if (typeof value === "string") return redact(value);
  try {
    return redact(JSON.stringify(value) ?? String(value));
  } catch {
    return redact(String(value));
  }
}

const line = (parts: unknown[]) => parts.map((p) => forLog(p)).join(" ");

export const log = {
  error: (...parts: unknown[]) => console.error(line(parts)),
  warn: (...parts: unknown[]) => console.warn(line(parts)),
  info: (...parts: unknown[]) => console.log(line(parts)),
};
