import type { Metadata } from "next";
import Link from "next/link";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "Corral",
  description: "Disposable environments, on demand",
  icons: { icon: "/favicon.svg" },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <Link href="/environments" className="brand">
            <span aria-hidden>◎</span> Corral
          </Link>
          <nav>
            <Link href="/environments">Environments</Link>
          </nav>
        </header>
        <main className="main">
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
