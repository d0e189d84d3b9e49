// .eln archives (RO-Crate) in and out (issue 16). Spread into routes.ts.
export const elnRoutes = {} as const;
