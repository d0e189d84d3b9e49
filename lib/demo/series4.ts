/**
 * A small demo campaign written the way Open Source Malaria's Series 4 notebook was: dated entries
 * of real bench work on the triazolopyrazine series. Fictional chemists, realistic chemistry.
 */
import type { ReactionInput } from "../stoichiometry/input";

export const demoCampaign = {
  name: "Series 4 (triazolopyrazines)",
  slug: "series-4",
  description:
    "Open optimisation of the OSM Series 4 triazolopyrazine antimalarials: synthesis, potency against P. falciparum 3D7 and solubility. Everything is public as it happens.",
};

export const demoPeople = [
  { login: "ada-bench", role: "maintainer" as const },
  { login: "ben-synth", role: "member" as const },
];

export interface DemoEntry {
  author: string;
  date: string;
  title: string;
  body: string;
  /** Reaction blocks (lib/stoichiometry), saved through the same checks as the editor's. */
  reactions?: ReactionInput[];
  /** Saved as an entry template of this name once written. */
  template?: string;
  /** Later saves of the same entry, to show history and diffs. */
  edits?: { author: string; body: string; message: string; reactions?: ReactionInput[] }[];
  /**
   * Pictures attached to the entry: drawings of registered compounds saved as PNG, as chemists paste ChemDraw
   * exports. The server's background scan reads them (OSRA) into "Structures in attachments".
   */
  pictures?: { filename: string; molecule: string }[];
}

/** The chlorotriazolopyrazine of Series 4 (5-chloro-3-[4-(difluoromethoxy)phenyl]-[1,2,4]triazolo[4,3-a]pyrazine). */
const CHLORO_CORE = "FC(F)Oc1ccc(cc1)c2nnc3cncc(Cl)n23";

/** The Series 4 ether SNAr as a reaction block: 250 mg of the chloro core, NaH (60 % in oil), the alcohol, THF. */
function snar(
  over: {
    title?: string;
    alcohol?: { name: string; smiles: string; density: number };
    product?: { molecule?: string; smiles?: string; isolatedMg?: number };
  } = {},
): ReactionInput {
  const alcohol = over.alcohol ?? { name: "2-phenylethanol", smiles: "OCCc1ccccc1", density: 1.02 };
  return {
    id: "snar",
    title: over.title ?? `SNAr with ${alcohol.name}`,
    rows: [
      { role: "reactant", name: "chlorotriazolopyrazine", smiles: CHLORO_CORE, massMg: 250 },
      { role: "reagent", name: alcohol.name, smiles: alcohol.smiles, density: alcohol.density, equivalents: 1.2 },
      { role: "reagent", name: "NaH (60 % in oil)", smiles: "[NaH]", purity: 60, equivalents: 1.2 },
      { role: "solvent", name: "THF (dry)", volumeUl: 5000 },
      { role: "product", ...(over.product ?? { molecule: "OSM-S-369" }) },
    ],
  };
}

export const demoEntries: DemoEntry[] = [
  {
    author: "ada-bench",
    date: "2024-03-04",
    title: "Plan for the week: ether-linked analogues of OSM-S-106",
    body: `## Aim
Make three ether-linked analogues of **OSM-S-106** to test whether the benzylic ether is needed for potency.

## Plan
1. Chlorotriazolopyrazine core (batch from last month, 1.2 g left).
2. SNAr with the three phenethyl alcohols, NaH in THF, 0 °C → rt.
3. Purify by column (EtOAc/hexane) and send for 3D7 assay.

| Alcohol | Equiv. | Compare with |
|---|---|---|
| 2-phenylethanol | 1.2 | OSM-S-369 |
| 2-(3,4-difluorophenyl)ethanol | 1.2 | OSM-S-260 |
| 2-(pyridin-2-yl)ethanol | 1.2 | OSM-S-204 |

Drawings of the reference and of the pyridyl comparison are attached.
`,
    pictures: [
      { filename: "OSM-S-106 drawing.png", molecule: "OSM-S-106" },
      { filename: "OSM-S-204 drawing.png", molecule: "OSM-S-204" },
    ],
  },
  {
    author: "ben-synth",
    date: "2024-03-05",
    title: "SNAr with 2-phenylethanol",
    body: `Chlorotriazolopyrazine (250 mg, 0.84 mmol) in dry THF (5 mL) at 0 °C. NaH (60 %, 40 mg, 1.2 equiv.) added, then 2-phenylethanol (121 µL, 1.01 mmol) dropwise.

- 30 min: TLC (50 % EtOAc/hexane) shows starting material and a new spot, Rf 0.35.
- 3 h at rt: starting material almost gone.

Quenched with sat. NH4Cl, extracted with EtOAc (3 × 10 mL), dried over MgSO4.`,
    reactions: [snar()],
    template: "SNAr on the chlorotriazolopyrazine",
    edits: [
      {
        author: "ben-synth",
        message: "Added work-up result and yield",
        body: `Chlorotriazolopyrazine (250 mg, 0.84 mmol) in dry THF (5 mL) at 0 °C. NaH (60 %, 40 mg, 1.2 equiv.) added, then 2-phenylethanol (121 µL, 1.01 mmol) dropwise.

- 30 min: TLC (50 % EtOAc/hexane) shows starting material and a new spot, Rf 0.35.
- 3 h at rt: starting material almost gone.

Quenched with sat. NH4Cl, extracted with EtOAc (3 × 10 mL), dried over MgSO4.

## Result
Column (20 → 60 % EtOAc/hexane) gave a white solid, **212 mg (66 %)**, which is OSM-S-369. ¹H NMR consistent with the ether; LCMS [M+H]⁺ found 383.1. Sent for 3D7 testing beside the earlier batch of OSM-S-201.`,
        reactions: [snar({ product: { molecule: "OSM-S-369", isolatedMg: 212 } })],
      },
    ],
  },
  {
    author: "ben-synth",
    date: "2024-03-06",
    title: "Pyridyl analogue: low conversion, NaH quality?",
    body: `Same conditions as yesterday with 2-(pyridin-2-yl)ethanol. After 4 h only ~30 % conversion by LCMS.

Suspect the NaH: the bottle was opened in January. Next time: fresh NaH, or KOtBu in DMF as in the Series 4 literature route.

> Note: the pyridyl alcohol is hygroscopic; dried over 4 Å sieves overnight before use.`,
    reactions: [
      snar({
        title: "SNAr with 2-(pyridin-2-yl)ethanol",
        alcohol: { name: "2-(pyridin-2-yl)ethanol", smiles: "OCCc1ccccn1", density: 1.093 },
        product: { smiles: "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccccn4)n23" },
      }),
    ],
  },
  {
    author: "ada-bench",
    date: "2024-03-08",
    title: "Potency of the ether analogues, from the master list",
    body: `IC50 against *P. falciparum* as reported in the Series 4 master list:

| Compound | IC50 (µM) | Lab |
|---|---|---|
| OSM-S-106 (reference) | 0.13 | Dundee |
| OSM-S-201 | 4.19 | Dundee |
| OSM-S-202 | 0.24 | GSK |

OSM-S-201 loses most of the potency; OSM-S-202 keeps it. Solubility (kinetic, PBS pH 7.4) of OSM-S-202 is next.

Discussion continues in the campaign's to-do list.`,
  },
];

/**
 * A discussion on the SNAr entry, as followers take part: a reader who is not a member asks, mentioning the chemist;
 * the chemist answers and marks the question answered.
 */
export const demoDiscussion = {
  entryTitle: "SNAr with 2-phenylethanol",
  question: {
    author: "curious-reader",
    body: "Was the THF dried before the NaH went in, @ben-synth? Wet THF would explain a slow SNAr like the pyridyl one.",
  },
  answer: {
    author: "ben-synth",
    body: "Yes: THF from the still, and the alcohol over 4 Å sieves. The pyridyl run used the same batch, so I suspect the NaH.",
  },
};

/**
 * The demo campaign's wiki: a home page (its overview, shown on the campaign page) made of live blocks over the
 * registry, and a page the home page and an entry link to. Nothing in them is a number typed by hand: the blocks
 * read the imported Series 4 compounds and their potencies whenever a page is read.
 */
export const demoWiki: { author: string; title: string; body: string }[] = [
  {
    author: "ada-bench",
    title: "Home",
    body: `Series 4 — the [1,2,4]triazolo[4,3-a]pyrazines — is the Open Source Malaria consortium's most advanced series.
This overview is **live**: every table and chart below is drawn from the registry each time the page is read, so it
cannot fall behind the notebook. What happened when is told in [the story so far](/campaigns/series-4/story); the
ether side chains have [[Ether side chains|a page of their own]].

## The most potent compounds

\`\`\`molecules
query: c1nnc2cncc(n12)
mode: substructure
assay: Pfal IC50
sort: potency
limit: 12
\`\`\`

## Ether side chain (R1) × aryl (R2)

The twelve most potent; every compound with the core is in the table on [[Ether side chains]].

\`\`\`sar
core: [*:2]c1nnc2cncc([*:1])n12
assay: Pfal IC50
limit: 12
\`\`\`

## Potency against lipophilicity

\`\`\`chart
query: c1nnc2cncc(n12)
assay: Pfal IC50
x: clogp
\`\`\`

## The compound the series grew from

OSM-S-369

## Latest in the notebook

\`\`\`entries
limit: 5
\`\`\`
`,
  },
  {
    author: "ben-synth",
    title: "Ether side chains",
    body: `Ethers at C5 are made by SNAr of the 5-chloro core with the alcohol and NaH in THF (see the entries below).
Phenethyl ethers with a halogenated aryl at C3 are the most potent so far; back to the [[Home|overview]].

\`\`\`molecules
query: c1nnc2cncc(OCC)n12
assay: Pfal IC50
sort: potency
view: table
limit: 15
\`\`\`

\`\`\`sar
core: [*:2]c1nnc2cncc([*:1])n12
assay: Pfal IC50
view: table
\`\`\`

\`\`\`entries
words: SNAr
limit: 5
\`\`\`
`,
  },
];
