// Campaigns and their members.
import { index, integer, pgTable, primaryKey, serial, text, check } from "drizzle-orm/pg-core";
import { oneOf, createdAt } from "./columns";
import { users } from "./identity";
import { roles } from "../../lib/campaigns/model";
import { DEFAULT_LICENSE, licenseIds } from "../../lib/campaigns/licenses";

export const campaigns = pgTable(
  "campaigns",
  {
    id: serial("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** The SPDX identifier of the licence its data is published under (lib/campaigns/licenses.ts). */
    license: text("license", { enum: licenseIds }).notNull().default(DEFAULT_LICENSE),
    createdById: integer("created_by_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [check("campaigns_license_check", oneOf(t.license, licenseIds))],
);
export type Campaign = typeof campaigns.$inferSelect;

export const memberships = pgTable(
  "memberships",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    role: text("role", { enum: roles }).notNull(),
    addedById: integer("added_by_id").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.userId] }),
    index("memberships_user_idx").on(t.userId),
    check("memberships_role_check", oneOf(t.role, roles)),
  ],
);
export type Membership = typeof memberships.$inferSelect;
