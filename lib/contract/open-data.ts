// Open data that travels (issue 16): citations, machine-readable exports (PubChem), licences. Spread into routes.ts.
export const openDataRoutes = {} as const;
