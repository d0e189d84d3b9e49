"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/app/_lib/action";
import { activateMoleculeAction, parkMoleculeAction } from "@/app/molecules/[code]/actions";

/**
 * Maintainers park a molecule that does not look promising (with the reason, shown to everyone) and re-activate it.
 * Parking hides nothing: the molecule, its ID and its data stay public.
 */
export function MoleculeStatusControls({ code, status }: { code: string; status: "active" | "parked" }) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const error = result && !result.ok ? result.error : null;
  if (status === "parked") {
    return (
      <div className="stack">
        <button type="button" disabled={pending} onClick={() => start(async () => setResult(await activateMoleculeAction(code)))}>
          {pending ? "Re-activating…" : "Re-activate"}
        </button>
        {error ? <p className="field-error">{error.message}</p> : null}
      </div>
    );
  }
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        start(async () => setResult(await parkMoleculeAction(code, null, form)));
      }}
    >
      <div className="field" style={{ marginBottom: 0 }}>
        <label htmlFor="park-reason">Park it, because…</label>
        <input
          id="park-reason"
          name="reason"
          required
          maxLength={500}
          placeholder="e.g. inactive below 10 µM; hERG liability"
          style={{ width: "100%" }}
        />
        {error ? <p className="field-error">{error.fields?.reason ?? error.message}</p> : null}
      </div>
      <button type="submit" className="danger" disabled={pending}>
        {pending ? "Parking…" : "Park molecule"}
      </button>
    </form>
  );
}
