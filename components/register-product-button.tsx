"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { registerProductAction } from "@/app/entries/actions";

/** "Register" on a product row: the product becomes a molecule (or links to the registered one) and the page reloads. */
export function RegisterProductButton(props: { entryId: number; baseRevision: number; reactionId: string; row: number }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div className="register-product">
      <button
        type="button"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const result = await registerProductAction(props);
            if (!result.ok) {
              setMessage(result.error.message);
              return;
            }
            setMessage(result.data.registered ? `Registered as ${result.data.code}` : `Already registered as ${result.data.code}: linked`);
            router.refresh();
          })
        }
      >
        {pending ? "Registering…" : "Register product"}
      </button>
      {message ? (
        <p className="meta" role="status">
          {message}
        </p>
      ) : null}
    </div>
  );
}
