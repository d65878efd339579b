/**
 * A lower bound's witness re-evaluated (docs/science.md section 11): a pair's secant |c^T (f(a) - f(b))| /
 * ||a - b|| (or ||f(a) - f(b)|| for a vector pair), a point's gradient norm, a Jacobian's u^T J v / (||u|| ||v||),
 * each in outward-rounded interval arithmetic from the model's numbers; the low end is what the witness proves.
 * @module
 */
import { div, mul, norm, point, sub, sum, type Interval } from './interval.js';
import { inDomain, type CheckedDomain, type Refuted } from './domain.js';

/** A model the checker evaluates: a network file's, or a record certificate's fitted function. */
export interface Evaluator {
  readonly inputs: number;
  readonly outputs: number;
  /** c^T f(x) as one interval, or every output (c null); a reason where it has no enclosure. */
  values(x: readonly number[], c: readonly number[] | null): Interval[] | string;
  /** Every output at x, enclosed faster and looser where the model has such an evaluation (the training error; else a reason). */
  valuesLoose?(x: readonly number[]): Interval[] | string;
  /** The gradient of c^T f at x; `pattern` (relu networks) fixes the units' slopes after checking them. */
  gradient(x: readonly number[], c: readonly number[], pattern?: string): Interval[] | string | Refuted;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const nums = (v: unknown): number[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? v : null);

/** The lower end of what the witness proves, why it proves nothing checkable, or how it certainly fails. */
export function witnessLow(f: Evaluator, w: Obj, c: readonly number[] | null, D: CheckedDomain): number | string | Refuted {
  const type = w.type;
  if (type === 'pair' || type === 'vector-pair') {
    const a = nums(w.a);
    const b = nums(w.b);
    if (a === null || b === null || a.length !== f.inputs || b.length !== a.length) return 'a pair witness without two points of the input dimension';
    for (const p of [a, b]) {
      const inside = inDomain(D, p);
      if (inside !== true) return inside;
    }
    const head = type === 'pair' ? (c ?? [1]) : null;
    const fa = f.values(a, head);
    const fb = f.values(b, head);
    if (typeof fa === 'string') return fa;
    if (typeof fb === 'string') return fb;
    const num = norm(fa.map((v, i) => sub(v, fb[i])));
    const den = norm(a.map((v, i) => sub(point(v), point(b[i]))));
    return div(num, den).lo;
  }
  if (type === 'point') {
    const x = nums(w.x);
    if (x === null || x.length !== f.inputs) return 'a point witness without a point of the input dimension';
    if (D.kind !== 'ball' && D.kind !== 'Rd') return `a gradient on a ${D.kind} (its tangential part) is not checked`;
    const inside = inDomain(D, x);
    if (inside !== true) return inside;
    const region = isObj(w.region) && typeof w.region.pattern === 'string' ? w.region.pattern : undefined;
    const g = f.gradient(x, c ?? [1], region);
    if (!Array.isArray(g)) return g;
    return norm(g).lo;
  }
  if (type === 'jacobian') {
    const x = nums(w.x);
    const u = nums(w.u);
    const v = nums(w.v);
    if (x === null || u === null || v === null || u.length !== f.outputs || v.length !== x.length) return 'a Jacobian witness without x, u and v';
    const inside = inDomain(D, x);
    if (inside !== true) return inside;
    // u^T J v / (||u|| ||v||) <= ||J||_2: u^T J = the gradient of u^T f
    const g = f.gradient(x, u);
    if (!Array.isArray(g)) return g;
    const uJv = sum(g.map((gi, i) => mul(gi, point(v[i]))));
    const abs = uJv.lo >= 0 ? uJv : { lo: -uJv.hi, hi: -uJv.lo };
    return div(abs, mul(norm(u.map(point)), norm(v.map(point)))).lo;
  }
  return `a witness of type ${String(type)} is not checked`;
}
