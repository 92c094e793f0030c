import "server-only";
import { config } from "@/lib/config";

/**
 * For a stream that stays open: every CORRAL_STREAM_REAUTH_SECONDS, asks whether its reader
 * may still read, and calls `revoked` once when not. Returns the function that stops asking.
 */
export function watchAuthorization(stillAllowed: () => Promise<boolean>, revoked: () => void): () => void {
  let stopped = false;
  const timer = setInterval(() => {
    void stillAllowed().then((ok) => {
      if (ok || stopped) return;
      stopped = true;
      clearInterval(timer);
      revoked();
    });
  }, config().CORRAL_STREAM_REAUTH_SECONDS * 1_000);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
