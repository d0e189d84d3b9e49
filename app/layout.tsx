import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { SiteHeader } from "@/components/site-header";
import { env } from "@/lib/env.js";
import "./globals.css";

// Every page reads the live database; nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export function generateMetadata(): Metadata {
  const site = env().NOTEBOOK_SITE_NAME;
  return {
    title: { default: site, template: `%s · ${site}` },
    description: "An open lab notebook: dated public entries of an open drug-discovery campaign, with full history.",
    alternates: { types: { "application/atom+xml": "/feed.atom", "application/feed+json": "/feed.json" } },
  };
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <SiteHeader />
        <main>
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
