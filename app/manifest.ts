import type { MetadataRoute } from "next";

/** Lets phones add Yuyue to the home screen with its name and icon. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "预约 Yuyue",
    short_name: "预约",
    description: "在线预约 · Online booking",
    start_url: "/",
    display: "standalone",
    background_color: "#fafaf9",
    theme_color: "#ea580c",
    icons: [
      { src: "/icon.svg", sizes: "any", type: "image/svg+xml" },
      { src: "/apple-icon", sizes: "180x180", type: "image/png" },
    ],
  };
}
