import { ImageResponse } from "next/og";

export const size = { width: 180, height: 180 };
export const contentType = "image/png";

/** The home-screen icon (iOS and Android): the favicon's calendar-with-a-tick, drawn as a PNG at build time. */
export default function AppleIcon() {
  return new ImageResponse(
    <div style={{ width: "100%", height: "100%", display: "flex", alignItems: "center", justifyContent: "center", background: "#ea580c" }}>
      <div
        style={{
          width: 108,
          height: 100,
          display: "flex",
          flexDirection: "column",
          borderRadius: 14,
          background: "#fff",
          overflow: "hidden",
        }}
      >
        <div style={{ height: 26, background: "#fed7aa" }} />
        <div style={{ flex: 1, display: "flex", alignItems: "center", justifyContent: "center" }}>
          <svg width="56" height="44" viewBox="0 0 28 22">
            <path d="M3 11l7 7L25 3" fill="none" stroke="#ea580c" strokeWidth="5" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </div>
      </div>
    </div>,
    size,
  );
}
