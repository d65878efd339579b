/**
 * Absolute constants of the theorems, kept as labelled data (docs/science.md section 1) so that a second set
 * (a later version of the paper) can be added without touching the formulas' code.
 */
export interface LawConstants {
  /** Human label of the set. */
  readonly label: string;
  /** Where the numbers were read. */
  readonly source: string;
  /** Theorem 3: Lip >= eps / (prefactor sqrt(c)) sqrt(n d / (p ln(logScale W J / eps) + ln(deltaScale / delta))). */
  readonly theorem3: { readonly prefactor: number; readonly logScale: number; readonly deltaScale: number };
  /** Theorem 3 k-condition: kFactor k ln(kLogScale k / delta) <= n eps^2. */
  readonly kCondition: { readonly kFactor: number; readonly kLogScale: number };
  /** Theorem 2: P <= a k exp(-n eps^2 / (b k)) + e exp(ln|F| - eps^2 n d / (f c L^2)). */
  readonly theorem2: { readonly a: number; readonly b: number; readonly e: number; readonly f: number };
}

/** Constants as printed in the NeurIPS 2021 submission text of Bubeck & Sellke (arXiv 2105.12806). */
export const NEURIPS_2021: LawConstants = {
  label: 'neurips-2021',
  source: 'Bubeck & Sellke, NeurIPS 2021 submission text, Theorems 2 and 3 (docs/science.md section 1)',
  theorem3: { prefactor: 2 ** 9, logScale: 60, deltaScale: 4 },
  kCondition: { kFactor: 8 ** 4, kLogScale: 8 },
  theorem2: { a: 4, b: 8 ** 3, e: 2, f: 8 ** 4 },
};

/** Every known constant set, by label. */
export const CONSTANT_SETS: Readonly<Record<string, LawConstants>> = { [NEURIPS_2021.label]: NEURIPS_2021 };
