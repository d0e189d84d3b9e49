// @ts-check
import { env } from "./lib/env.js";

// Fail at start (and at build) on a bad configuration.
env();

/** Headers for machine routes (API, feeds, attachments); pages get theirs, with a CSP nonce, from proxy.ts. */
const baseHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The build checks the app; `npm run typecheck` (part of `npm test`) checks the tests too.
  typescript: { tsconfigPath: "tsconfig.build.json" },
  // PGlite ships WebAssembly and data files that must be loaded from node_modules, not bundled.
  // E-mail: mjml requires its configuration and skeleton dynamically; it and nodemailer load from node_modules.
  serverExternalPackages: ["@electric-sql/pglite", "openchemlib", "@rdkit/rdkit", "postgres", "@resvg/resvg-js", "mjml", "nodemailer"],
  experimental: {
    serverActions: { bodySizeLimit: "2mb" },
  },
  // A molecule's files sit beside its page: /molecules/OSM-S-1.svg, .png and .mol are served by app/depictions.
  // beforeFiles, so that they are not taken for the page /molecules/[code] with a code ending in ".svg".
  async rewrites() {
    return {
      beforeFiles: [{ source: "/molecules/:code.:format(svg|png|mol)", destination: "/depictions/:code/:format" }],
      afterFiles: [],
      fallback: [],
    };
  },
  async headers() {
    return [
      { source: "/api/:path*", headers: [...baseHeaders, { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
      { source: "/:path*", headers: baseHeaders },
    ];
  },
};

export default nextConfig;
