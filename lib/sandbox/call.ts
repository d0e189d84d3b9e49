import { sharedChemPool, toChemError, type WorkerOutcome } from "./pool";
import type { JobKind } from "./protocol";

/** When an interactive sandbox call must be done, and the request it serves (its end cancels the call). */
export interface SandboxControl {
  /** ms since epoch: the job's worker is killed then, and the call fails with a `timeout` ChemError. */
  deadline: number;
  signal?: AbortSignal;
  /** Background work (a picture scan) waits behind pages and API answers. Default interactive. */
  priority?: "interactive" | "bulk";
}

/**
 * One input through one job of the shared pool, for a page or an API answer: ahead of bulk work, stopped at the
 * deadline or when the client goes away. Answers the result, or throws the ChemError the pool or the input got
 * (`timeout`, `aborted`, `crashed`, `worker_failed`, or the input's own: `invalid_structure`, `too_large`); callers
 * say in their own words what was being done.
 */
export async function callSandbox<T>(kind: JobKind, input: unknown, control: SandboxControl): Promise<T> {
  const [outcome] = (await sharedChemPool().call<T>(kind, [input], {
    // At least a little, so a call at its very end fails by timeout, not by zero.
    timeoutMs: Math.max(50, control.deadline - Date.now()),
    deadline: control.deadline,
    priority: control.priority ?? "interactive",
    signal: control.signal,
  })) as [WorkerOutcome<T>];
  if (!outcome.ok) throw toChemError(outcome.error);
  return outcome.result;
}
