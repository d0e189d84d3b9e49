/** The vocabulary of campaigns and their people. The database schema takes its enums and checks from here. */

/** What a member of a campaign may do: maintainers manage members and settings, members write. */
export const roles = ["maintainer", "member"] as const;
export type Role = (typeof roles)[number];
