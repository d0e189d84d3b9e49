import Link from "next/link";
import { currentActor } from "@/app/_lib/session";
import { signOutAction } from "@/app/signin/actions";
import { getDb } from "@/db/index";
import { unreadCount } from "@/db/queries/notifications";
import { env } from "@/lib/env.js";

export async function SiteHeader() {
  const actor = await currentActor();
  const unread = actor ? await unreadCount(await getDb(), actor.id) : 0;
  return (
    <header className="site-header">
      <div className="inner">
        <Link href="/" className="brand">
          {env().NOTEBOOK_SITE_NAME.replace(/Notebook$/, "")}
          <span>Notebook</span>
        </Link>
        <nav className="nav" aria-label="Main">
          <Link href="/">Feed</Link>
          <Link href="/campaigns">Campaigns</Link>
        </nav>
        <form action="/search" className="header-search" role="search">
          <label htmlFor="site-search" className="visually-hidden">
            Search entries, molecule IDs, InChIKeys or structures (SMILES)
          </label>
          <input id="site-search" name="q" type="search" placeholder="Search: words, ID, SMILES…" />
        </form>
        <div className="account">
          {actor ? (
            <>
              <Link href="/notifications" className="inbox" data-testid="inbox" title={unread ? `${unread} unread notifications` : "Notifications"}>
                Inbox{unread ? <span className="badge">{unread}</span> : null}
              </Link>
              <Link href="/settings" title="Settings and API tokens">
                {actor.login}
              </Link>
              <form action={signOutAction}>
                <button type="submit">Sign out</button>
              </form>
            </>
          ) : (
            <Link href="/signin" className="button primary">
              Sign in
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
