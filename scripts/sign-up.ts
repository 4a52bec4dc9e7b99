/**
 * Customer accounts for the scripts that drive a running server (bench, screenshots), made as clients
 * sign up by e-mail: the first call mails a code, read back from the dev mail transport through the
 * staff-only dev messages endpoint, and the second brings it and answers the account's API token.
 */
async function post<T>(url: string, body: unknown): Promise<{ status: number; data: T }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const data = (await res.json()) as T;
  if (res.status >= 400) throw new Error(`${url}: ${res.status} ${JSON.stringify(data)}`);
  return { status: res.status, data };
}

/** The demo staff account's API token: it reads the dev transports. */
export async function staffToken(base: string): Promise<string> {
  return (await post<{ token: string }>(`${base}/api/v1/auth/token`, { email: "staff@yuyue.demo", password: "demo1234" })).data.token;
}

async function mailedCode(base: string, staff: string, email: string): Promise<string> {
  for (let i = 0; i < 150; i++) {
    const res = await fetch(`${base}/api/v1/staff/dev-messages?channel=email&to=${encodeURIComponent(email.toLowerCase())}`, {
      headers: { authorization: `Bearer ${staff}` },
    });
    const { messages = [] } = (await res.json()) as { messages?: { text: string }[] };
    const code = messages.map((m) => /\b(\d{6})\b/.exec(m.text)?.[1]).find(Boolean);
    if (code) return code;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no sign-up code was mailed to ${email}`);
}

export async function signUpByEmail(
  base: string,
  staff: string,
  account: { email: string; password: string; name: string } & Record<string, unknown>,
): Promise<string> {
  await post(`${base}/api/v1/auth/register`, account);
  const emailCode = await mailedCode(base, staff, account.email);
  return (await post<{ token: string }>(`${base}/api/v1/auth/register`, { ...account, emailCode })).data.token;
}
