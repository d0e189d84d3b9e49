"use client";

import { useEffect, useRef, useState } from "react";
import { MoleculeImage } from "./molecule-image";

export interface HoverMolecule {
  code: string;
  name: string | null;
  status: "active" | "parked";
}

interface Shown {
  mention: string;
  top: number;
  left: number;
  /** Shown above the link (there is no room below): the card is then moved up by its own height in CSS. */
  above: boolean;
}

/** The card's width, and the height it needs at most (to choose between below and above the link). */
const CARD = { width: 260, height: 240, gap: 6 };

/**
 * A structure card for mention links (`a.mention`, made by lib/markdown/mentions.ts) on hover or keyboard focus.
 * Mounted once per page: one delegated listener on the document, nothing in the user's HTML (which is sanitized and
 * carries no handlers), so it works under the page's CSP. `molecules` maps each mention as written to the molecule
 * it names; a mention of an ID nobody registered says so instead of asking the server for a drawing that is not there.
 */
export function MentionHover({ molecules }: { molecules: Record<string, HoverMolecule> }) {
  const [shown, setShown] = useState<Shown | null>(null);
  const hideTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const anchor = useRef<HTMLAnchorElement | null>(null);

  useEffect(() => {
    const mentionOf = (target: EventTarget | null) =>
      target instanceof Element ? target.closest<HTMLAnchorElement>("a.mention[data-mention]") : null;
    const hide = () => {
      anchor.current?.removeAttribute("aria-describedby");
      anchor.current = null;
      setShown(null);
    };
    const show = (event: Event) => {
      const link = mentionOf(event.target);
      if (!link) return;
      clearTimeout(hideTimer.current);
      if (anchor.current && anchor.current !== link) anchor.current.removeAttribute("aria-describedby");
      anchor.current = link;
      link.setAttribute("aria-describedby", "mention-card");
      const rect = link.getBoundingClientRect();
      const below = rect.bottom + CARD.gap + CARD.height <= window.innerHeight || rect.top < CARD.height + CARD.gap;
      setShown({
        mention: link.dataset.mention ?? "",
        above: !below,
        top: window.scrollY + (below ? rect.bottom + CARD.gap : rect.top - CARD.gap),
        left: window.scrollX + Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - CARD.width - 8)),
      });
    };
    const leave = (event: Event) => {
      if (!mentionOf(event.target)) return;
      clearTimeout(hideTimer.current);
      // A moment's grace, so the pointer can travel from the link onto the card (to follow its link).
      hideTimer.current = setTimeout(hide, 200);
    };
    const escape = (event: KeyboardEvent) => {
      if (event.key === "Escape") hide();
    };
    document.addEventListener("mouseover", show);
    document.addEventListener("focusin", show);
    document.addEventListener("mouseout", leave);
    document.addEventListener("focusout", leave);
    document.addEventListener("keydown", escape);
    return () => {
      clearTimeout(hideTimer.current);
      document.removeEventListener("mouseover", show);
      document.removeEventListener("focusin", show);
      document.removeEventListener("mouseout", leave);
      document.removeEventListener("focusout", leave);
      document.removeEventListener("keydown", escape);
    };
  }, []);

  if (!shown) return null;
  const molecule = Object.hasOwn(molecules, shown.mention) ? molecules[shown.mention] : undefined;
  return (
    <div
      id="mention-card"
      role="tooltip"
      className={shown.above ? "mention-card above" : "mention-card"}
      data-testid="mention-card"
      style={{ top: shown.top, left: shown.left, width: CARD.width }}
      onMouseEnter={() => clearTimeout(hideTimer.current)}
      onMouseLeave={() => setShown(null)}
    >
      {molecule ? (
        <>
          <MoleculeImage code={molecule.code} width={240} height={160} alt={`Structure of ${molecule.code}`} eager />
          <div>
            <strong>{molecule.code}</strong>
            {molecule.status === "parked" ? <span className="status parked">parked</span> : null}
          </div>
          {molecule.name ? <div className="meta">{molecule.name}</div> : null}
          {molecule.code !== shown.mention ? <div className="meta">written as {shown.mention}</div> : null}
        </>
      ) : (
        <p className="meta" style={{ margin: 0 }}>
          No molecule is registered as {shown.mention} yet.
        </p>
      )}
    </div>
  );
}
