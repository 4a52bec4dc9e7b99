"use client";

/**
 * Last resort when the root layout itself failed to render (no translations, no header there):
 * a plain bilingual page with a reload link.
 */
export default function GlobalError() {
  return (
    <html lang="zh-CN">
      <body style={{ fontFamily: "system-ui, sans-serif", textAlign: "center", padding: "4rem 1rem", color: "#292524" }}>
        <h1 style={{ fontSize: "1.5rem", fontWeight: 700 }}>页面暂时无法显示 / This page can&apos;t be shown right now</h1>
        <p>服务繁忙或暂时不可用，请稍后重试。 / The service is busy or briefly unavailable. Please try again in a moment.</p>
        <p>
          <a href="" style={{ color: "#ea580c" }}>
            重试 / Try again
          </a>
        </p>
      </body>
    </html>
  );
}
