import { readStructuredFile } from '../core/read-file.js';
import { z } from 'zod';
import { MAX_SEED } from '../core/rng.js';
import { InputError } from '../core/input-error.js';
import { DISTRIBUTION_NAMES } from '../data/distribution.js';
import { LABEL_NAMES } from '../labels/label-model.js';
import { ACTIVATIONS } from '../models/activation.js';
import { BUMP_PROFILES } from '../models/bumps.js';
import { FITTED_CLASSES, functionClass } from '../models/registry.js';
import { SEARCH_BACKENDS } from '../backends/search-backend.js';
import { memoryLimit, requireInstanceFits } from '../law/size-limits.js';

/** Classes a sweep may fit: every fitted class of the registry (all but `mlp`, a file), regime classes included. */
export const SWEEP_CLASSES = FITTED_CLASSES;

/**
 * Limits of a sweep (docs/cli.md, "Limits"): sizes per key, and at most 100,000 grid points (a grid a
 * machine runs in days at most; larger is almost certainly a typo). Each (class, n, d, k) point must also
 * fit in memory ({@link requireInstanceFits}), checked before the run writes anything.
 */
export const SWEEP_LIMITS = { nMax: 1_000_000, dMax: 100_000, kMax: 10_000_000, seedsMax: 10_000, gridMax: 100_000 } as const;

const list = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);
const int = (min: number, max: number) => z.int().min(min).max(max);

/**
 * The schema of a sweep spec (robustlaw-sweep-spec/1), the same object whether it comes from a JSON or
 * YAML file or from `robustlaw sweep` flags. Lists may be written as one value. Keys:
 * class, dist, labels, n, d, k | p, seeds (a count N: seeds 0..N-1, or an explicit list), and the
 * per-sweep options `model`, `distOptions`, `labelOptions`, `estimator`.
 */
export const sweepSpecSchema = z
  .object({
    format: z.literal('robustlaw-sweep-spec/1').optional(),
    class: list(z.enum(SWEEP_CLASSES)),
    dist: list(z.enum(DISTRIBUTION_NAMES)).default(['sphere']),
    labels: list(z.enum(LABEL_NAMES)).default(['signs']),
    n: list(int(2, SWEEP_LIMITS.nMax)),
    d: list(int(1, SWEEP_LIMITS.dMax)),
    /** Width knob of random-features (p = k), ntk-features (p = d k) and two-layer (p = k (d + 2) + 1). */
    k: list(int(1, SWEEP_LIMITS.kMax)).optional(),
    /** Target parameter counts, converted to k per class (rounded); an alternative to k. */
    p: list(int(1, SWEEP_LIMITS.kMax)).optional(),
    seeds: z.union([int(1, SWEEP_LIMITS.seedsMax), z.array(int(0, MAX_SEED)).min(1)]).default(1),
    model: z
      .object({
        activation: z.enum(ACTIVATIONS).optional(),
        degree: int(1, 12).optional(),
        bandwidth: z.number().positive().optional(),
        profile: z.enum(BUMP_PROFILES).optional(),
        penalty: z.number().min(0).optional(),
        ridge: z.number().min(0).optional(),
        maxIter: int(1, 1_000_000).optional(),
        targetMse: z.number().min(0).optional(),
      })
      .strict()
      .default({}),
    distOptions: z.object({ components: int(1, 100_000).optional(), m: int(2, SWEEP_LIMITS.dMax).optional(), scale: z.number().positive().optional() }).strict().default({}),
    labelOptions: z.object({ eta: z.number().min(0).max(1).optional(), noise: z.number().min(0).optional() }).strict().default({}),
    /** Where the estimators' search runs (default auto; the CLI's --backend overrides it). */
    backend: z.enum(SEARCH_BACKENDS).optional(),
    estimator: z
      .object({ starts: int(1, 10_000).optional(), steps: int(0, 100_000).optional(), rounds: int(0, 20).optional(), dataFloor: z.boolean().optional() })
      .strict()
      .default({}),
  })
  .strict()
  .refine((s) => !(s.k && s.p), { message: 'absent when k is given', path: ['p'] });

/** A validated, normalised sweep spec (lists everywhere, defaults filled in). */
export type SweepSpec = z.output<typeof sweepSpecSchema>;

/** The innermost issue: a list-or-value key reports the problem of its list branch, which names the element. */
function innermost(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  const branches = issue.errors.map((e) => e[0]).filter((e): e is z.core.$ZodIssue => e !== undefined);
  const inner = branches.find((e) => e.path.length > 0) ?? branches[0];
  return inner ? innermost({ ...inner, path: [...issue.path, ...inner.path] }) : issue;
}

/** One problem of a failed parse as an {@link InputError} naming the key (`spec.n[1]`), the rule and the value. */
function issueError(issue: z.core.$ZodIssue, source: string): InputError {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const parameter = `spec${path}`;
  const input: unknown = 'input' in issue ? issue.input : undefined;
  const context = { context: source };
  switch (issue.code) {
    case 'invalid_type':
      if ('input' in issue && issue.input === undefined) return new InputError(parameter, 'given', undefined, { ...context, shown: 'nothing' });
      return new InputError(parameter, issue.expected === 'int' ? 'an integer' : `a ${issue.expected}`, input, context);
    case 'invalid_value':
      return new InputError(parameter, `one of ${issue.values.map((v) => String(v)).join(', ')}`, input, context);
    case 'too_small':
      return new InputError(parameter, issue.origin === 'array' ? `a list of at least ${String(issue.minimum)} value` : `${issue.inclusive === false ? '>' : '>='} ${String(issue.minimum)}`, input, context);
    case 'too_big':
      return new InputError(parameter, issue.origin === 'array' ? `a list of at most ${String(issue.maximum)} values` : `${issue.inclusive === false ? '<' : '<='} ${String(issue.maximum)}`, input, context);
    case 'unrecognized_keys': {
      const shape = (issue.path.length ? undefined : sweepSpecSchema.shape) as Record<string, unknown> | undefined;
      const allowed = shape ? ` (${Object.keys(shape).join(', ')})` : '';
      return new InputError(parameter, `an object with known keys only${allowed}`, input, { ...context, shown: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` });
    }
    case 'custom': // the one refinement: k and p both given
      return new InputError(parameter, issue.message, undefined, { ...context, shown: 'both k and p' });
    default:
      return new InputError(parameter, issue.message, input, context);
  }
}

/**
 * Validates a raw sweep spec (parsed JSON/YAML or flags) and fills in defaults. Throws one InputError
 * naming the key (`spec.n[1]`, `spec.model.activation`), the rule and the value given (`source`, e.g. the
 * file, is its context); also rejects grids larger than {@link SWEEP_LIMITS}.gridMax.
 */
export function parseSweepSpec(raw: unknown, source = 'sweep spec'): SweepSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError('spec', 'an object with keys class, n, d, ...', raw, { context: source });
  const r = sweepSpecSchema.safeParse(raw, { reportInput: true });
  if (!r.success) {
    throw issueError(innermost(r.error.issues[0]), source);
  }
  const s = r.data;
  const sizes = s.k?.length ?? s.p?.length ?? 1;
  const seeds = typeof s.seeds === 'number' ? s.seeds : s.seeds.length;
  const grid = s.class.length * s.dist.length * s.labels.length * s.n.length * s.d.length * sizes * seeds;
  if (grid > SWEEP_LIMITS.gridMax) throw new InputError('spec', `a grid of at most ${SWEEP_LIMITS.gridMax} points`, raw, { context: source, shown: `a grid of ${grid} points` });
  // what each class declares about its inputs (src/models/registry.ts): the data laws it needs, the activations it takes
  for (const name of s.class) {
    const cls = functionClass(name);
    if (cls.dists !== undefined && s.dist.some((d) => !(cls.dists as readonly string[]).includes(d))) {
      throw new InputError('spec.dist', `${cls.dists.join(' or ')} only when the classes include ${name}`, s.dist, { context: source, shown: s.dist.join(',') });
    }
    if (cls.activations !== undefined && cls.reads.includes('activation') && s.model.activation !== undefined && !(cls.activations as readonly string[]).includes(s.model.activation)) {
      throw new InputError('spec.model.activation', `one of ${cls.activations.join(', ')} when the classes include ${name}`, s.model.activation, { context: source });
    }
  }
  for (const m of [s.distOptions.m]) if (m !== undefined && s.d.some((d) => d < m)) throw new InputError('spec.distOptions.m', `<= every d (d = ${s.d.join(',')})`, m, { context: source });
  requireSpecFits(s, source);
  return s;
}

/** Every (class, n, d, k) point of a validated spec fits in memory (./law/size-limits.ts): else one InputError
 * naming the key (`spec.n[1]`, `spec.d`, `spec.k[2]`, `spec.p[2]`) and the estimate. */
function requireSpecFits(s: SweepSpec, source: string): void {
  const limit = memoryLimit();
  const key = (name: 'n' | 'd' | 'k' | 'p', list: readonly number[], i: number) => `spec.${name}${list.length > 1 ? `[${i}]` : ''}`;
  for (const className of s.class) {
    const width = functionClass(className).width;
    const sizes = width === undefined ? [undefined] : (s.k ?? s.p ?? [undefined]);
    for (const [ni, n] of s.n.entries()) {
      for (const [di, d] of s.d.entries()) {
        for (const [si, size] of sizes.entries()) {
          const k = size === undefined || width === undefined ? undefined : s.k !== undefined ? size : width.forParameters(size, d);
          try {
            requireInstanceFits('parseSweepSpec', { className, n, d, modelOptions: { ...s.model, ...(k === undefined ? {} : { k }) } }, limit);
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            const parameter = e.parameter === 'modelOptions.k' && size !== undefined ? key(s.k !== undefined ? 'k' : 'p', s.k ?? s.p ?? [], si) : e.parameter === 'd' ? key('d', s.d, di) : key('n', s.n, ni);
            throw new InputError(parameter, e.rule, parameter.startsWith('spec.p') ? size : e.value, { context: source });
          }
        }
      }
    }
  }
}

/** Reads a sweep spec file: `.yaml`/`.yml` as YAML, anything else as JSON; errors name the file. */
export function loadSweepSpec(path: string): SweepSpec {
  return parseSweepSpec(readStructuredFile(path, 'loadSweepSpec', true), path);
}

/** A JSON rendering with sorted keys: the canonical form used to compare specs (resume, merge). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}
