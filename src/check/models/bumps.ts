/**
 * Radial bumps for the checker: f(x) = sum_i h_i g(||x - c_i|| / r), g(t) = 1 - t (hat) or (1 - t^2)^2 (c1) for
 * t < 1, else 0. With pairwise disjoint supports (every ||c_i - c_j|| >= 2 r, checked here pair by pair) on a
 * ball containing every support, Lip(f) = max_i |h_i| sup|g'| / r exactly (sup|g'| = 1, 8 / (3 sqrt 3));
 * without, sum_i |h_i| sup|g'| / r bounds it (docs/science.md section 4).
 * @module
 */
import { add, div, mul, norm, point, sq, sqrt, sub, sum, type Interval } from '../interval.js';
import { ballRadius, count, f64s, type CheckedModel, type ModelJson, exactAsUpper } from '../checked-model.js';

/** sup |g'| of the profiles, enclosed: 1 and 8 / (3 sqrt 3). */
const SUP: Readonly<Record<string, Interval>> = { hat: point(1), c1: div(point(8), mul(point(3), sqrt(point(3)))) };

/** g on an interval of t >= 0: both profiles decrease on [0, 1] and vanish beyond. */
function profile(name: string, t: Interval): Interval {
  const g = (v: number): Interval => (v >= 1 ? point(0) : name === 'hat' ? sub(point(1), point(v)) : sq(sub(point(1), sq(point(v)))));
  return { lo: Math.max(0, g(t.hi).lo), hi: g(Math.max(0, t.lo)).hi };
}

/** The bumps model of a certificate, or why not. */
export function bumpsModel(m: ModelJson): CheckedModel | string {
  const c = f64s(m.centres);
  const h = f64s(m.heights);
  const d = count(m.d);
  const r = m.r;
  const name = String(m.profile);
  const sup = SUP[name];
  if (c === null || h === null || d === null || typeof r !== 'number' || !(r > 0) || c.length !== h.length * d || sup === undefined) return 'bumps without centres, heights, radius and a known profile';
  const n = h.length;
  const dist = (x: (t: number) => number, i: number) => norm(Array.from({ length: d }, (_, t) => sub(point(x(t)), point(c[i * d + t]))));
  const maxH = point(h.reduce((a, v) => Math.max(a, Math.abs(v)), 0));
  /** The exact value where the supports are disjoint and inside the domain; refuted where they certainly overlap. */
  const exact = (method: string, R: number | null): Interval | string | { refuted: string } => {
    if (method !== 'bumps-disjoint') return `bumps' ${method} is not checked`;
    if (R === null) return 'a domain the checker does not decide';
    const twoR = mul(point(2), point(r));
    for (let i = 0; i < n; i++) {
      if (!(add(dist(() => 0, i), point(r)).hi <= R)) return `bump ${i + 1}'s support is not certainly inside the domain`;
      for (let j = i + 1; j < n; j++) {
        const dij = dist((t) => c[j * d + t], i);
        if (!(dij.lo >= twoR.hi)) return dij.hi < twoR.lo ? { refuted: `bumps ${i + 1} and ${j + 1} overlap (${dij.hi} < 2 r)` } : `bumps ${i + 1} and ${j + 1} are not certainly disjoint`;
      }
    }
    return div(mul(maxH, sup), point(r));
  };
  return {
    inputs: d,
    outputs: 1,
    values: (x) => [sum(Array.from(h, (hi, i) => mul(point(hi), profile(name, div(dist((t) => x[t], i), point(r))))))],
    gradient: () => 'the gradient of bumps is not checked (a pair witness is)',
    exact: (method, _terms, _data, D) => exact(method, ballRadius(D)),
    upper: (method, _terms, _data, D) => {
      if (method === 'bumps-sum') return { bound: div(mul(sum(Array.from(h, (v) => point(Math.abs(v)))), sup), point(r)).hi };
      return exactAsUpper(exact(method, ballRadius(D)));
    },
  };
}
