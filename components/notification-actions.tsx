"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { markReadAction } from "@/app/notifications/actions";

export function MarkAllRead() {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() =>
        start(async () => {
          await markReadAction();
          router.refresh();
        })
      }
    >
      Mark all as read
    </button>
  );
}
