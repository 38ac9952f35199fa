// Web NFC (Chrome on Android): the tag's serial number is the wristband's NFC UID. Elsewhere the
// page falls back to its text input (typed, pasted, or a USB reader that types and presses Enter).
interface NdefReadingEvent extends Event { serialNumber: string }
interface NdefReader extends EventTarget { scan(options?: { signal?: AbortSignal }): Promise<void> }
declare global {
  interface Window { NDEFReader?: { new (): NdefReader } }
}

export const nfcAvailable = (): boolean => typeof window.NDEFReader === "function";

/** Starts reading tags; calls `onRead` with the UID as the API wants it (hex, no separators, upper case). */
export async function startNfc(onRead: (uid: string) => void, signal: AbortSignal): Promise<void> {
  const reader = new window.NDEFReader!();
  await reader.scan({ signal });
  reader.addEventListener("reading", (event) => {
    const serial = (event as NdefReadingEvent).serialNumber ?? "";
    const uid = serial.replace(/[^0-9a-f]/gi, "").toUpperCase();
    if (uid) onRead(uid);
  });
}
