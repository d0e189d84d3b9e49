import Link from "next/link";
import type { EntryRecognized } from "@/db/queries/attachment-scans";
import { Formula } from "./molecule-properties";
import { describeGuess } from "./picture-recognition";
import { smilesImagePath, STRUCTURE_IMAGE_SIZE } from "@/lib/markdown/structures";
import { RelativeTime } from "./ui/relative-time";

const STATUS_TEXT = {
  pending: "waiting to be read",
  unscanned: "waiting to be read",
  done: "read",
  failed: "could not be read",
} as const;

/**
 * "Structures in attachments": what OSRA found in the pictures and PDFs attached to the entry, read in the background
 * after they were attached (db/queries/attachment-scans.ts). Each structure links to the picture (and page) it came
 * from and to the registered molecule with the same structure; nothing here is registered until a person does it.
 * Shown only for an entry with pictures; `scanning` false says that this server cannot read them (OSRA missing).
 */
export function RecognizedStructures({ found, scanning }: { found: EntryRecognized; scanning: boolean }) {
  if (found.pictures.length === 0) return null;
  // Two thirds of the drawings' box, in whole pixels (the drawing route takes integers).
  const [width, height] = [Math.round(STRUCTURE_IMAGE_SIZE.width / 1.5), Math.round(STRUCTURE_IMAGE_SIZE.height / 1.5)];
  return (
    <section className="card attachment-structures" aria-labelledby="recognized-title" id="recognized">
      <strong id="recognized-title">Structures in attachments</strong>
      <p className="meta">
        Read from the entry’s pictures by OSRA, the open-source structure recognizer: check each one against its picture before using it.
        {scanning ? null : " This server cannot read pictures yet: OSRA is not installed (apt-get install osra on Debian/Ubuntu)."}
      </p>
      {found.structures.length > 0 ? (
        <ul className="attachment-structures-list">
          {found.structures.map((s) => (
            <li key={s.id} className="attachment-structure" data-testid="recognized-structure">
              {/* eslint-disable-next-line @next/next/no-img-element -- drawn by our own SVG route, see MoleculeImage */}
              <img
                src={`${smilesImagePath(s.smiles)}&w=${width}&h=${height}`}
                width={width}
                height={height}
                alt={`Recognized structure ${s.formula}`}
              />
              <div>
                <code className="mono">{s.smiles}</code>
                <span className="meta">
                  <Formula formula={s.formula} /> · in <a href={s.attachment.path}>{s.attachment.filename}</a>
                  {s.page > 1 ? `, page ${s.page}` : null} · confidence {s.confidence.toFixed(2)} · read by {s.agreement.votes} of{" "}
                  {s.agreement.readings} variants
                </span>
                {describeGuess(s.guessed) ? <span className="notice warn recognized-guess">{describeGuess(s.guessed)}</span> : null}
                {s.match ? (
                  <span>
                    Registered as <Link href={s.match.path}>{s.match.id}</Link>
                  </span>
                ) : (
                  <span className="meta">Not registered</span>
                )}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      <ul className="meta attachment-pictures">
        {found.pictures.map((p) => (
          <li key={p.attachment.id}>
            <a href={p.attachment.path}>{p.attachment.filename}</a>: {STATUS_TEXT[p.status]}
            {p.status === "done" ? `, ${p.found === 0 ? "no structure found" : `${p.found} structure${p.found === 1 ? "" : "s"}`}` : null}
            {p.scannedAt ? (
              <>
                {" "}
                (<RelativeTime date={p.scannedAt} />)
              </>
            ) : null}
            {p.message ? ` — ${p.message}` : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
