/** The kinds of model a campaign's baseline can be: a random forest, or nearest neighbours when data are few. */
export const modelAlgorithms = ["random-forest", "knn"] as const;
export type ModelAlgorithm = (typeof modelAlgorithms)[number];
