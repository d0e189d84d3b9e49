import type { ModelAnswer } from "@/db/queries/prediction-models";

export function modelAnswerJson(a: ModelAnswer) {
  return { ...a, model: { ...a.model, trainedAt: a.model.trainedAt.toISOString() } };
}
