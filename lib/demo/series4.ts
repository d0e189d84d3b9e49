/**
 * A small demo campaign written the way Open Source Malaria's Series 4 notebook was: dated entries
 * of real bench work on the triazolopyrazine series. Fictional chemists, realistic chemistry.
 */
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
  /** Later saves of the same entry, to show history and diffs. */
  edits?: { author: string; body: string; message: string }[];
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
| 2-(4-fluorophenyl)ethanol | 1.2 | OSM-S-201 |
| 2-(3,4-difluorophenyl)ethanol | 1.2 | OSM-S-202 |
| 2-(pyridin-2-yl)ethanol | 1.2 | OSM-S-204 |
`,
  },
  {
    author: "ben-synth",
    date: "2024-03-05",
    title: "SNAr with 2-(4-fluorophenyl)ethanol",
    body: `Chlorotriazolopyrazine (250 mg, 0.85 mmol) in dry THF (5 mL) at 0 °C. NaH (60 %, 41 mg, 1.2 equiv.) added, then the alcohol (143 mg, 1.02 mmol) dropwise.

- 30 min: TLC (50 % EtOAc/hexane) shows starting material and a new spot, Rf 0.35.
- 3 h at rt: starting material almost gone.

Quenched with sat. NH4Cl, extracted with EtOAc (3 × 10 mL), dried over MgSO4.`,
    edits: [
      {
        author: "ben-synth",
        message: "Added work-up result and yield",
        body: `Chlorotriazolopyrazine (250 mg, 0.85 mmol) in dry THF (5 mL) at 0 °C. NaH (60 %, 41 mg, 1.2 equiv.) added, then the alcohol (143 mg, 1.02 mmol) dropwise.

- 30 min: TLC (50 % EtOAc/hexane) shows starting material and a new spot, Rf 0.35.
- 3 h at rt: starting material almost gone.

Quenched with sat. NH4Cl, extracted with EtOAc (3 × 10 mL), dried over MgSO4.

## Result
Column (20 → 60 % EtOAc/hexane) gave a white solid, **212 mg (64 %)**. ¹H NMR consistent with the ether; LCMS [M+H]⁺ found 389.1. Sent for 3D7 testing beside the earlier batch of OSM-S-201.`,
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
