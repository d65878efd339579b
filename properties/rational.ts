import { exactScaled } from '../src/linalg/pow2.js';

/**
 * Exact rational arithmetic for the properties that check certificates against the truth: every double
 * is a dyadic rational m 2^-1074 (exactScaled gives m), so sums, products and comparisons of doubles
 * are decided exactly here, independently of the floating-point code under test.
 */
export interface Q {
  readonly n: bigint;
  /** Always positive. */
  readonly d: bigint;
}

const ONE_1074 = 1n << 1074n;

const abs = (x: bigint) => (x < 0n ? -x : x);
function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
function norm(n: bigint, d: bigint): Q {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

/** The exact value of a finite double. */
export const q = (x: number): Q => {
  if (!Number.isFinite(x)) throw new RangeError(`q: not finite (${x})`);
  return norm(exactScaled(x), ONE_1074);
};
export const qInt = (k: bigint | number): Q => ({ n: BigInt(k), d: 1n });
export const add = (a: Q, b: Q): Q => norm(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Q, b: Q): Q => norm(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Q, b: Q): Q => norm(a.n * b.n, a.d * b.d);
export const div = (a: Q, b: Q): Q => {
  if (b.n === 0n) throw new RangeError('div: by zero');
  return norm(a.n * b.d, a.d * b.n);
};
export const neg = (a: Q): Q => ({ n: -a.n, d: a.d });
export const qabs = (a: Q): Q => ({ n: abs(a.n), d: a.d });
/** -1, 0 or 1 as a < b, a = b, a > b. */
export const cmp = (a: Q, b: Q): number => {
  const s = a.n * b.d - b.n * a.d;
  return s < 0n ? -1 : s > 0n ? 1 : 0;
};
export const ZERO: Q = { n: 0n, d: 1n };
/** Sum of squares of doubles, exactly. */
export const sumSquares = (xs: ArrayLike<number>): Q => {
  let s = ZERO;
  for (let i = 0; i < xs.length; i++) s = add(s, mul(q(xs[i]), q(xs[i])));
  return s;
};
/** ||a - b||^2 of two double vectors, exactly. */
export const distSquared = (a: ArrayLike<number>, b: ArrayLike<number>): Q => {
  let s = ZERO;
  for (let i = 0; i < a.length; i++) {
    const t = sub(q(a[i]), q(b[i]));
    s = add(s, mul(t, t));
  }
  return s;
};

/**
 * Whether the symmetric rational matrix A (m x m, row-major) is positive semidefinite, decided exactly by
 * symmetric Gaussian elimination (LDL^T with the zero-pivot rule: a zero pivot needs a zero row).
 */
export function isPsd(A: Q[], m: number): boolean {
  const M = A.slice();
  for (let k = 0; k < m; k++) {
    const p = M[k * m + k];
    const sp = cmp(p, ZERO);
    if (sp < 0) return false;
    if (sp === 0) {
      for (let j = k + 1; j < m; j++) if (cmp(M[k * m + j], ZERO) !== 0) return false;
      continue;
    }
    for (let i = k + 1; i < m; i++) {
      const f = div(M[i * m + k], p);
      for (let j = k + 1; j < m; j++) M[i * m + j] = sub(M[i * m + j], mul(f, M[k * m + j]));
    }
  }
  return true;
}
