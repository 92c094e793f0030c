import type { Metadata } from "next";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "Corral",
  description: "Disposable environments, on demand",
  icons: { icon: "/favicon.svg" },
};

// Every page carries a per-request CSP nonce (see proxy.ts), so none may be prerendered.
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
