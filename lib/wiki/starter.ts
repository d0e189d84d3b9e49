// The text a campaign's home page starts from: one example of each live block, to be edited into the overview.
export const WIKI_STARTER = `An overview of the campaign. The blocks below are live: they show the registry as it is whenever the page is read.

## Newest molecules

\`\`\`molecules
sort: -id
limit: 12
\`\`\`

## Latest entries

\`\`\`entries
limit: 5
\`\`\`

## Open to-dos

\`\`\`todos
state: open
limit: 5
\`\`\`
`;
