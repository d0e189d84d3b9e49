// What a campaign's hash chain covers: the records whose history must be verifiable.
export const chainKinds = ["revision", "molecule", "measurement", "prediction"] as const;
export type ChainKind = (typeof chainKinds)[number];

/** The hash before a campaign's first link: 64 zeros. */
export const GENESIS_HASH = "0".repeat(64);
