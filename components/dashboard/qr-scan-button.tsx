"use client";

import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";

type Detected = { rawValue: string };
type BarcodeDetectorLike = { detect(source: HTMLVideoElement): Promise<Detected[]> };
type BarcodeDetectorCtor = {
  new (opts: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
};

/** How often the native detector looks at the video; zxing paces itself. */
const DETECT_EVERY_MS = 150;

/**
 * Scans a QR code with the phone's camera (getUserMedia) and hands its text to `onCode`. Uses the
 * browser's BarcodeDetector where it reads QR codes (Android Chrome, Safari), otherwise @zxing/browser,
 * loaded only when the camera opens so the dashboard does not carry it.
 */
export function QrScanButton({ onCode }: { onCode: (text: string) => void }) {
  const t = useTranslations("scan");
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const onCodeRef = useRef(onCode);
  useEffect(() => {
    onCodeRef.current = onCode;
  }, [onCode]);

  useEffect(() => {
    if (!open) return;
    const video = videoRef.current;
    if (!video) return;
    let stopped = false;
    let stream: MediaStream | null = null;
    let stopZxing: (() => void) | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (text: string) => {
      if (stopped) return;
      stopped = true;
      setOpen(false);
      onCodeRef.current(text.trim());
    };
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
        if (stopped) return;
        const Native = (window as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
        if (Native && (await Native.getSupportedFormats()).includes("qr_code")) {
          video.srcObject = stream;
          await video.play();
          const detector = new Native({ formats: ["qr_code"] });
          const tick = async () => {
            if (stopped) return;
            const found = await detector.detect(video).catch(() => []);
            if (found[0]?.rawValue) done(found[0].rawValue);
            else timer = setTimeout(tick, DETECT_EVERY_MS);
          };
          void tick();
        } else {
          const { BrowserQRCodeReader } = await import("@zxing/browser");
          if (stopped) return;
          const controls = await new BrowserQRCodeReader().decodeFromStream(stream, video, (result) => {
            if (result) done(result.getText());
          });
          stopZxing = () => controls.stop();
          if (stopped) stopZxing();
        }
      } catch (e) {
        if (stopped) return;
        setError(e instanceof DOMException && e.name === "NotAllowedError" ? t("denied") : t("unavailable"));
        setOpen(false);
      }
    })();
    return () => {
      stopped = true;
      clearTimeout(timer);
      stopZxing?.();
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [open, t]);

  return (
    <div className="space-y-2" data-testid="qr-scan">
      <button
        type="button"
        onClick={() => {
          setError(null);
          setOpen((o) => !o);
        }}
        className="rounded-lg border border-stone-300 bg-white px-3 py-2 text-sm font-medium hover:border-brand-500 hover:text-brand-700"
        aria-expanded={open}
      >
        {open ? t("stop") : t("start")}
      </button>
      {open && (
        <div className="space-y-1">
          <video
            ref={videoRef}
            muted
            playsInline
            className="aspect-square w-full max-w-xs rounded-lg bg-black object-cover"
            data-testid="qr-video"
          />
          <p role="status" className="text-xs text-stone-500">
            {t("aim")}
          </p>
        </div>
      )}
      {error && (
        <p role="alert" className="text-sm text-rose-700">
          {error}
        </p>
      )}
    </div>
  );
}
