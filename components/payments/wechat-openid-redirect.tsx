"use client";

import { useEffect } from "react";
import { useTranslations } from "next-intl";

/**
 * Inside WeChat without an openid yet: a full-page trip through WeChat's silent authorisation
 * (snsapi_base), which comes back here. A full navigation, not the router's: the round trip leaves
 * the site and its code may be used once.
 */
export function WechatOpenidRedirect({ href }: { href: string }) {
  const t = useTranslations("pay");
  useEffect(() => window.location.replace(href), [href]);
  return (
    <p className="text-sm text-stone-600" data-testid="wechat-authorizing">
      <a href={href} className="underline">
        {t("wechatAuthorizing")}
      </a>
    </p>
  );
}
