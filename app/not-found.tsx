import Link from "next/link";

export default function NotFound() {
  return (
    <div className="card stack">
      <h1>Not found</h1>
      <p>There is no page at this address. It may have been mistyped, or the entry was never written.</p>
      <p>
        <Link href="/">Back to the project feed</Link> · <Link href="/search">Search entries</Link>
      </p>
    </div>
  );
}
