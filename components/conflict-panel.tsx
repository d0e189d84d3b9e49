"use client";

export interface TheirVersion {
  revisionId: number;
  number: number;
  title: string;
  body: string;
  author: string;
  createdAt: string;
}

/** Shown when someone saved the entry after this editor opened it: both versions, nothing lost. */
export function ConflictPanel({
  theirs,
  mine,
  onKeepMine,
  onTakeTheirs,
}: {
  theirs: TheirVersion;
  mine: { title: string; body: string };
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}) {
  return (
    <div className="notice warn stack" role="alert" data-testid="conflict">
      <strong>
        {theirs.author} saved this entry (revision {theirs.number}) at {new Date(theirs.createdAt).toISOString().slice(0, 16).replace("T", " ")} UTC,
        after you started editing. Your text is not saved yet.
      </strong>
      <div className="conflict">
        <div>
          <p className="meta">Their version</p>
          <pre data-testid="conflict-theirs">{`# ${theirs.title}\n\n${theirs.body}`}</pre>
        </div>
        <div>
          <p className="meta">Your version</p>
          <pre data-testid="conflict-mine">{`# ${mine.title}\n\n${mine.body}`}</pre>
        </div>
      </div>
      <div className="row">
        <button type="button" className="primary" onClick={onKeepMine}>
          Save mine as the newest revision
        </button>
        <button type="button" onClick={onTakeTheirs}>
          Load theirs into the editor (copy yours first)
        </button>
      </div>
    </div>
  );
}
