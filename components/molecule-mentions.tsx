import Link from "next/link";
import type { MentionedMolecule } from "@/db/queries/mentions";
import { MoleculeImage } from "./molecule-image";

/** The molecules an entry mentions, with small structures: the entry page's side box. */
export function MoleculesMentioned({ molecules: mentioned }: { molecules: MentionedMolecule[] }) {
  // An ID and an alias of the same molecule are two mentions of one molecule.
  const molecules = [...new Map(mentioned.map((m) => [m.code, m])).values()];
  if (molecules.length === 0) return null;
  return (
    <div className="card" data-testid="molecules-mentioned">
      <strong>Molecules mentioned</strong>
      <ul className="molecule-list">
        {molecules.map((m) => (
          <li key={m.code}>
            <Link href={m.path} className="molecule-chip">
              <MoleculeImage code={m.code} width={96} height={64} alt="" />
              <span>
                <span className="molecule-code">{m.code}</span>
                {m.status === "parked" ? <span className="status parked">parked</span> : null}
                {m.name ? <span className="meta">{m.name}</span> : null}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
