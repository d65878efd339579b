/**
 * Golden-section search for the minimum of a unimodal f on [a, b] with `evals` + 2 evaluations of f (each
 * step keeps one interior point and shrinks the bracket by (sqrt 5 - 1) / 2): the better of the last two
 * interior points. Not certified: the LipSDP solvers use it for a starting scale only.
 */
export function goldenMin(f: (s: number) => number, a: number, b: number, evals: number): number {
  const r = (Math.sqrt(5) - 1) / 2;
  let c = b - r * (b - a);
  let d = a + r * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < evals; i++) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - r * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + r * (b - a);
      fd = f(d);
    }
  }
  return fc <= fd ? c : d;
}
