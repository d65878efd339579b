import { readStructuredFile } from '../core/read-file.js';
import { z } from 'zod';
import { MAX_SEED } from '../core/rng.js';
import { InputError } from '../core/input-error.js';
import { DISTRIBUTION_NAMES } from '../data/distribution.js';
import { LABEL_NAMES } from '../labels/label-model.js';
import { ACTIVATIONS } from '../activations/activation.js';
import { BUMP_PROFILES } from '../models/bump-profile.js';
import { POLYNOMIAL_MAX_DEGREE } from '../models/polynomial.js';
import { TWO_LAYER_MAX_ITER } from '../models/two-layer.js';
import { FITTED_CLASSES, functionClass } from '../models/registry.js';
import { SEARCH_BACKENDS } from '../backends/search-backend.js';
import { memoryLimit, requireInstanceFits } from '../law/size-limits.js';
import type { ModelOptions } from '../models/model-options.js';

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
/** A model option: one value, or a list of values that the grid crosses (an axis, as n and d are). Kept as
 * written, so that a spec of single values has the same canonical form as before axes existed. */
const axis = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);

/** The per-class model options of a spec; each may be a list, a grid axis ({@link modelAxes}). */
const modelSchema = z
  .object({
    activation: axis(z.enum(ACTIVATIONS)).optional(),
    degree: axis(int(1, POLYNOMIAL_MAX_DEGREE)).optional(),
    bandwidth: axis(z.number().positive()).optional(),
    profile: axis(z.enum(BUMP_PROFILES)).optional(),
    penalty: axis(z.number().min(0)).optional(),
    ridge: axis(z.number().min(0)).optional(),
    maxIter: axis(int(1, TWO_LAYER_MAX_ITER)).optional(),
    targetMse: axis(z.number().min(0)).optional(),
    lr: axis(z.number().positive()).optional(),
    radiusFactor: axis(z.number().positive()).optional(),
  })
  .strict();

/** The keys that describe one grid: classes, data, sizes, seeds, and the options of models, data and labels. */
const gridShape = {
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
  model: modelSchema.default({}),
  distOptions: z.object({ components: int(1, 100_000).optional(), m: int(2, SWEEP_LIMITS.dMax).optional(), scale: z.number().positive().optional() }).strict().default({}),
  labelOptions: z.object({ eta: z.number().min(0).max(1).optional(), noise: z.number().min(0).optional() }).strict().default({}),
};

/** The keys that hold for a whole run, whatever its blocks: where the search runs and at what effort. */
const runShape = {
  format: z.literal('robustlaw-sweep-spec/1').optional(),
  /** Where the estimators' search runs (default auto; the CLI's --backend overrides it). */
  backend: z.enum(SEARCH_BACKENDS).optional(),
  estimator: z
    .object({ starts: int(1, 10_000).optional(), steps: int(0, 100_000).optional(), rounds: int(0, 20).optional(), dataFloor: z.boolean().optional() })
    .strict()
    .default({}),
};

const kOrP = (s: { k?: unknown; p?: unknown }) => !(s.k && s.p);
const K_OR_P = { message: 'absent when k is given', path: ['p'] };

/**
 * The schema of a one-grid sweep spec (robustlaw-sweep-spec/1), the same object whether it comes from a
 * JSON or YAML file or from `robustlaw sweep` flags. Lists may be written as one value. Keys: class, dist,
 * labels, n, d, k | p, seeds (a count N: seeds 0..N-1, or an explicit list), and the options `model` (each a
 * value or a list: a grid axis), `distOptions`, `labelOptions`, `estimator`, `backend`. A spec of several
 * grids is a {@link sweepBlocksSpecSchema}.
 */
export const sweepSpecSchema = z
  .object({ ...runShape, ...gridShape })
  .strict()
  .refine(kOrP, K_OR_P);

/** A block's name: what the report groups by and record ids start with (`block=NAME,`). */
const BLOCK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,39}$/;

/** One block of a block spec: a grid of its own (its classes, sizes and options) with its name. */
const blockSchema = z
  .object({ name: z.string().regex(BLOCK_NAME, 'a name of letters, digits and _ . + - (at most 40, no spaces)'), ...gridShape })
  .strict()
  .refine(kOrP, K_OR_P);

const { class: _class, ...gridShapeWithoutClass } = gridShape;

/** What a block spec may say once for all its blocks (each block may override it): every grid key but class. */
const sharedSchema = z
  .object({ ...runShape, title: z.string().max(200).optional(), blocks: z.array(z.unknown()).min(1).max(100), ...gridShapeWithoutClass, n: gridShape.n.optional(), d: gridShape.d.optional() })
  .strict();

/**
 * The schema of a spec of several grids (a figure of a paper: e.g. random features at k = 4n..64n and NTK
 * features at k = 4n/d..100n/d): `blocks`, a list of one-grid specs each with a `name` (no `estimator` or
 * `backend`, which hold for the run), and at the top any grid key but `class` as every block's default (a
 * block's own value wins; `model`, `distOptions` and `labelOptions` merge key by key; a block's own k or p
 * replaces both of the top's). Run as one sweep: one directory, one manifest, one report grouped by block.
 */
export const sweepBlocksSpecSchema = sharedSchema;

/** A validated one-grid spec (lists everywhere but the model options, defaults filled in). */
export type SweepGridSpec = z.output<typeof sweepSpecSchema>;

/** A validated block: a one-grid spec with its name, without the run's keys. */
export type SweepBlock = z.output<typeof blockSchema>;

/** A validated spec of several grids: every block complete (the top's defaults merged in). */
export interface SweepBlocksSpec {
  readonly format?: 'robustlaw-sweep-spec/1';
  readonly title?: string;
  readonly blocks: readonly SweepBlock[];
  readonly backend?: SweepGridSpec['backend'];
  readonly estimator: SweepGridSpec['estimator'];
}

/** A validated, normalised sweep spec: one grid, or named blocks of grids. */
export type SweepSpec = SweepGridSpec | SweepBlocksSpec;

/** The grids of a spec, each with its block name (null for a one-grid spec). */
export function specBlocks(spec: SweepSpec): { readonly name: string | null; readonly grid: Omit<SweepGridSpec, 'format' | 'backend' | 'estimator'> }[] {
  return 'blocks' in spec ? spec.blocks.map(({ name, ...grid }) => ({ name, grid })) : [{ name: null, grid: spec }];
}

/** The innermost issue: a list-or-value key reports the problem of its list branch, which names the element. */
function innermost(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  const branches = issue.errors.map((e) => e[0]).filter((e): e is z.core.$ZodIssue => e !== undefined);
  const inner = branches.find((e) => e.path.length > 0) ?? branches[0];
  return inner ? innermost({ ...inner, path: [...issue.path, ...inner.path] }) : issue;
}

/** One problem of a failed parse as an {@link InputError} naming the key (`spec.n[1]`), the rule and the value. */
function issueError(issue: z.core.$ZodIssue, source: string, allowedKeys: readonly string[]): InputError {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const parameter = `spec${path}`;
  const input: unknown = 'input' in issue ? issue.input : undefined;
  const context = { context: source };
  switch (issue.code) {
    case 'invalid_type':
      if ('input' in issue && issue.input === undefined) return new InputError(parameter, 'given', undefined, { ...context, shown: 'nothing' });
      return new InputError(parameter, issue.expected === 'int' ? 'an integer' : `a ${issue.expected}`, input, context);
    case 'invalid_value':
      if ('input' in issue && issue.input === undefined) return new InputError(parameter, 'given', undefined, { ...context, shown: 'nothing' });
      return new InputError(parameter, `one of ${issue.values.map((v) => String(v)).join(', ')}`, input, context);
    case 'too_small':
      return new InputError(parameter, issue.origin === 'array' ? `a list of at least ${String(issue.minimum)} value` : `${issue.inclusive === false ? '>' : '>='} ${String(issue.minimum)}`, input, context);
    case 'too_big':
      return new InputError(parameter, issue.origin === 'array' ? `a list of at most ${String(issue.maximum)} values` : `${issue.inclusive === false ? '<' : '<='} ${String(issue.maximum)}`, input, context);
    case 'unrecognized_keys': {
      const allowed = issue.path.length ? '' : ` (${allowedKeys.join(', ')})`;
      return new InputError(parameter, `an object with known keys only${allowed}`, input, { ...context, shown: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` });
    }
    case 'custom': // the one refinement: k and p both given
      return new InputError(parameter, issue.message, undefined, { ...context, shown: 'both k and p' });
    case 'invalid_format': // a block's name
      return new InputError(parameter, issue.message, input, context);
    default:
      return new InputError(parameter, issue.message, input, context);
  }
}

/** The list-valued model options of one class (those it reads), crossed: one option set per grid point. */
export function modelAxes(className: SweepGridSpec['class'][number], model: SweepGridSpec['model']): { readonly options: ModelOptions; readonly axes: readonly string[] }[] {
  const reads = functionClass(className).reads as readonly string[];
  let combos: { options: Record<string, unknown>; axes: string[] }[] = [{ options: {}, axes: [] }];
  for (const [key, value] of Object.entries(model)) {
    if (value === undefined || !reads.includes(key)) continue;
    if (!Array.isArray(value)) {
      for (const c of combos) c.options[key] = value;
      continue;
    }
    combos = combos.flatMap((c) => (value as unknown[]).map((v) => ({ options: { ...c.options, [key]: v }, axes: [...c.axes, `${key}=${String(v)}`] })));
  }
  return combos;
}

/** The values of a model option, as a list (a single value or an axis). */
const valuesOf = <T>(v: T | readonly T[] | undefined): readonly T[] => (v === undefined ? [] : Array.isArray(v) ? (v as readonly T[]) : [v as T]);

/** How many grid points a validated grid has at most (before a p that rounds to a listed k is merged). */
function gridPoints(s: Omit<SweepGridSpec, 'format' | 'backend' | 'estimator'>): number {
  const seeds = typeof s.seeds === 'number' ? s.seeds : s.seeds.length;
  let points = 0;
  for (const name of s.class) points += (functionClass(name).width === undefined ? 1 : (s.k?.length ?? s.p?.length ?? 1)) * modelAxes(name, s.model).length;
  return points * s.dist.length * s.labels.length * s.n.length * s.d.length * seeds;
}

/** What each class of a grid declares about its inputs (src/models/registry.ts): the data laws it needs, the
 * activations it takes; a mixture's m at most every d; every point fits in memory. `at` names the grid's keys. */
function checkGrid(s: Omit<SweepGridSpec, 'format' | 'backend' | 'estimator'>, at: string, source: string): void {
  for (const name of s.class) {
    const cls = functionClass(name);
    if (cls.dists !== undefined && s.dist.some((d) => !(cls.dists as readonly string[]).includes(d))) {
      throw new InputError(`${at}.dist`, `${cls.dists.join(' or ')} only when the classes include ${name}`, s.dist, { context: source, shown: s.dist.join(',') });
    }
    const acts = valuesOf(s.model.activation);
    const bad = acts.findIndex((a) => cls.activations !== undefined && cls.reads.includes('activation') && !(cls.activations as readonly string[]).includes(a));
    if (bad >= 0) {
      throw new InputError(`${at}.model.activation${Array.isArray(s.model.activation) ? `[${bad}]` : ''}`, `one of ${cls.activations!.join(', ')} when the classes include ${name}`, acts[bad], { context: source });
    }
  }
  for (const m of [s.distOptions.m]) if (m !== undefined && s.d.some((d) => d < m)) throw new InputError(`${at}.distOptions.m`, `<= every d (d = ${s.d.join(',')})`, m, { context: source });
  requireSpecFits(s, at, source);
}

/** Parses `raw` with `schema`, or throws the first problem as one InputError whose key starts with `at`. */
function parseWith<S extends z.ZodType>(schema: S, raw: unknown, at: string, source: string, allowed: readonly string[]): z.output<S> {
  const r = schema.safeParse(raw, { reportInput: true });
  if (r.success) return r.data;
  const e = issueError(innermost(r.error.issues[0]), source, allowed);
  throw at === 'spec' ? e : new InputError(e.parameter.replace(/^spec/, at), e.rule, e.value, { context: source, shown: e.shown });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A block's raw keys over the top's: the block's own value wins; option objects merge key by key; a block's
 * own k or p replaces both of the top's. */
function mergeBlock(top: Record<string, unknown>, block: Record<string, unknown>): Record<string, unknown> {
  const { blocks: _b, title: _t, format: _f, backend: _be, estimator: _e, ...shared } = top;
  if ('k' in block || 'p' in block) {
    delete shared.k;
    delete shared.p;
  }
  const out: Record<string, unknown> = { ...shared, ...block };
  for (const key of ['model', 'distOptions', 'labelOptions']) {
    if (isObject(shared[key]) && isObject(block[key])) out[key] = { ...shared[key], ...block[key] };
  }
  return out;
}

/**
 * Validates a raw sweep spec (parsed JSON/YAML or flags) and fills in defaults: a one-grid spec
 * ({@link sweepSpecSchema}) or a spec of named blocks ({@link sweepBlocksSpecSchema}). Throws one InputError
 * naming the key (`spec.n[1]`, `spec.model.activation`, `spec.blocks[2].k[0]`), the rule and the value given
 * (`source`, e.g. the file, is its context); also rejects grids larger than {@link SWEEP_LIMITS}.gridMax
 * points (all blocks together).
 */
export function parseSweepSpec(raw: unknown, source = 'sweep spec'): SweepSpec {
  if (!isObject(raw)) throw new InputError('spec', 'an object with keys class, n, d, ... (or blocks: a list of such objects)', raw, { context: source });
  if (!('blocks' in raw)) {
    const s = parseWith(sweepSpecSchema, raw, 'spec', source, Object.keys(sweepSpecSchema.shape));
    const grid = gridPoints(s);
    if (grid > SWEEP_LIMITS.gridMax) throw new InputError('spec', `a grid of at most ${SWEEP_LIMITS.gridMax} points`, raw, { context: source, shown: `a grid of ${grid} points` });
    checkGrid(s, 'spec', source);
    return s;
  }
  if ('class' in raw) throw new InputError('spec.class', 'given in each block, not at the top of a spec with blocks', raw.class, { context: source });
  const top = parseWith(sharedSchema, raw, 'spec', source, Object.keys(sharedSchema.shape).filter((k) => k !== 'class'));
  const names = new Set<string>();
  const blocks = top.blocks.map((b, i) => {
    const at = `spec.blocks[${i}]`;
    if (!isObject(b)) throw new InputError(at, 'an object with keys name, class, and any grid key (n, d, k | p, seeds, model, ...)', b, { context: source });
    const block = parseWith(blockSchema, mergeBlock(raw, b), at, source, Object.keys(blockSchema.shape));
    if (names.has(block.name)) throw new InputError(`${at}.name`, 'a name no other block has', block.name, { context: source });
    names.add(block.name);
    return block;
  });
  const grid = blocks.reduce((sum, b) => sum + gridPoints(b), 0);
  if (grid > SWEEP_LIMITS.gridMax) throw new InputError('spec', `a grid of at most ${SWEEP_LIMITS.gridMax} points (all blocks)`, raw, { context: source, shown: `a grid of ${grid} points` });
  blocks.forEach((b, i) => checkGrid(b, `spec.blocks[${i}]`, source));
  return { ...(top.format === undefined ? {} : { format: top.format }), ...(top.title === undefined ? {} : { title: top.title }), blocks, ...(top.backend === undefined ? {} : { backend: top.backend }), estimator: top.estimator };
}

/** Every (class, n, d, k, model options) point of a validated grid fits in memory (./law/size-limits.ts): else one
 * InputError naming the key (`spec.n[1]`, `spec.d`, `spec.k[2]`, `spec.p[2]`, under `at`) and the estimate. */
function requireSpecFits(s: Omit<SweepGridSpec, 'format' | 'backend' | 'estimator'>, at: string, source: string): void {
  const limit = memoryLimit();
  const key = (name: 'n' | 'd' | 'k' | 'p', list: readonly number[], i: number) => `${at}.${name}${list.length > 1 ? `[${i}]` : ''}`;
  for (const className of s.class) {
    const width = functionClass(className).width;
    const sizes = width === undefined ? [undefined] : (s.k ?? s.p ?? [undefined]);
    for (const { options } of modelAxes(className, s.model)) {
      for (const [ni, n] of s.n.entries()) {
        for (const [di, d] of s.d.entries()) {
          for (const [si, size] of sizes.entries()) {
            const k = size === undefined || width === undefined ? undefined : s.k !== undefined ? size : width.forParameters(size, d);
            try {
              requireInstanceFits('parseSweepSpec', { className, n, d, modelOptions: { ...options, ...(k === undefined ? {} : { k }) } }, limit);
            } catch (e) {
              if (!(e instanceof InputError)) throw e;
              const parameter = e.parameter === 'modelOptions.k' && size !== undefined ? key(s.k !== undefined ? 'k' : 'p', s.k ?? s.p ?? [], si) : e.parameter === 'd' ? key('d', s.d, di) : key('n', s.n, ni);
              throw new InputError(parameter, e.rule, parameter.startsWith(`${at}.p`) ? size : e.value, { context: source });
            }
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
