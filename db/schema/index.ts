// The database schema, one file per aggregate; drizzle-kit reads this index (drizzle.config.ts), and every query
// imports from here. The domain's vocabulary (roles, statuses, qualifiers, event kinds, to-do fields) lives in
// lib/<domain>/model.ts: the tables take their enums and check constraints from there, and it is re-exported here.
export * from "./identity";
export * from "./campaigns";
export * from "./notebook";
export * from "./feed";
export * from "./registry";
export * from "./todos";
export * from "./maintenance";
export * from "./discussion";
export * from "./wiki";
export * from "./integrity";
export * from "./predictions";
export { documentKinds, type DocumentKind } from "../../lib/wiki/model";
export { roles, type Role } from "../../lib/campaigns/model";
export { eventKinds, type EventKind } from "../../lib/feed/model";
export {
  githubAuthKinds,
  todoStates,
  type GitHubAuthKind,
  type TodoConflicts,
  type TodoFields,
  type TodoState,
} from "../../lib/github/model";
export { moleculeStatuses, qualifiers, type MoleculeStatus, type Qualifier } from "../../lib/molecules/model";
export * from "./recognition";
