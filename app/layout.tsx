import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { SiteHeader } from "@/components/site-header";
import { headers } from "next/headers";
import { originFromHeaders } from "@/app/_lib/request";
import { env } from "@/lib/env.js";
import "./globals.css";

// Every page reads the live database; nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const site = env().NOTEBOOK_SITE_NAME;
  // Open Graph images and links must be absolute: the public address when configured, else the one the client used.
  const h = await headers();
  const origin = env().NOTEBOOK_PUBLIC_URL ?? originFromHeaders(h, new URL("http://localhost"));
  return {
    metadataBase: new URL(origin),
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
