/**
 * The one activation table (src/activations/activation.ts): each entry's derivatives, sup bounds, slope
 * bounds, |s(0)| and flags agree with its own s, checked by sampling; a planted wrong entry is caught by the
 * same checker.
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATION, ACTIVATIONS, ALL_ACTIVATIONS, isActivation, type Activation } from '../../src/activations/activation.js';
import { activationSlope, isNetworkActivation, networkActivation, NETWORK_ACTIVATIONS } from '../../src/models/network-activations.js';
import { activationNamed, elu, leakyRelu } from '../../src/activations/family.js';
import { slopeInterval } from '../../src/lipschitz/sdp/slope-bounds.js';
import { Rng } from '../../src/core/rng.js';

/** Every way the entry disagrees with its s on samples of [-T, T] (empty when it is consistent). */
function violations(a: Activation<string>, seed = 1): string[] {
  const out: string[] = [];
  const rng = new Rng(seed);
  const h = 1e-5;
  if (Math.abs(Math.abs(a.f(0)) - a.atZero) > 1e-15) out.push(`atZero ${a.atZero} but |s(0)| = ${Math.abs(a.f(0))}`);
  for (const T of [0.5, 2, 6]) {
    for (let i = 0; i < 300; i++) {
      const t = (2 * rng.uniform() - 1) * T;
      const fd = (a.f(t + h) - a.f(t - h)) / (2 * h);
      const kink = a.kinks && Math.abs(t) < 2 * h;
      if (!kink && Math.abs(fd - a.df(t)) > 1e-6 * Math.max(1, Math.abs(fd))) out.push(`s'(${t}) = ${a.df(t)}, differences give ${fd}`);
      const fd2 = (a.df(t + h) - a.df(t - h)) / (2 * h);
      if (!a.kinks && Math.abs(fd2 - a.d2f(t)) > 1e-5 * Math.max(1, Math.abs(fd2))) out.push(`s''(${t}) = ${a.d2f(t)}, differences give ${fd2}`);
      if (Math.abs(a.f(t)) > a.supAbs(T) * (1 + 1e-15)) out.push(`|s(${t})| above supAbs(${T})`);
      if (Math.abs(a.df(t)) > a.supAbsDf(T) * (1 + 1e-15)) out.push(`|s'(${t})| above supAbsDf(${T})`);
      if (!a.kinks && Math.abs(a.d2f(t)) > a.supAbsD2f(T) * (1 + 1e-15)) out.push(`|s''(${t})| = ${Math.abs(a.d2f(t))} above supAbsD2f(${T}) = ${a.supAbsD2f(T)}`);
      if (Math.abs(a.df(t)) > a.lip) out.push(`|s'(${t})| above lip`);
      const [lo, hi] = a.slopeRange;
      if (a.df(t) < lo || a.df(t) > hi) out.push(`s'(${t}) = ${a.df(t)} outside slopeRange [${lo}, ${hi}]`);
      if (a.even !== (Math.abs(a.f(-t) - a.f(t)) < 1e-15 * Math.max(1, Math.abs(a.f(t)))) && Math.abs(t) > 0.1) out.push(`even is ${a.even} at t = ${t}`);
      // slopes on a random interval inside the table's interval, which lies inside the global range
      const u = t + rng.uniform() * T;
      const iv = a.slopeOn(t, u);
      if (iv === null) out.push(`no slope interval on [${t}, ${u}]`);
      else {
        if (iv[0] < lo || iv[1] > hi) out.push(`slopeOn(${t}, ${u}) = [${iv.join(", ")}] leaves slopeRange`);
        for (let j = 0; j < 5; j++) {
          const x = t + (u - t) * rng.uniform();
          const y = t + (u - t) * rng.uniform();
          if (x === y) continue;
          const q = (a.f(x) - a.f(y)) / (x - y);
          // the computed secant's own rounding: 4 u (|s(x)| + |s(y)|) / |x - y|
          const tol = 1e-12 + (4 * 2 ** -53 * (Math.abs(a.f(x)) + Math.abs(a.f(y)))) / Math.abs(x - y);
          if (q < iv[0] - tol || q > iv[1] + tol) out.push(`slope ${q} on [${t}, ${u}] outside slopeOn = [${iv.join(", ")}]`);
        }
      }
    }
  }
  return out;
}

describe('the activation table', () => {
  it('holds the classes\' activations and the networks\' in one place', () => {
    expect([...ALL_ACTIVATIONS].sort()).toEqual(['cos', 'gelu', 'linear', 'relu', 'sigmoid', 'softplus', 'square', 'tanh']);
    for (const a of ACTIVATIONS) expect(ALL_ACTIVATIONS).toContain(a);
    for (const a of NETWORK_ACTIVATIONS) {
      const [alpha, beta] = ACTIVATION[a].slopeRange;
      expect(activationSlope(a)).toEqual({ alpha, beta, lip: Math.max(-alpha, beta), atZero: ACTIVATION[a].atZero });
    }
    for (const name of ALL_ACTIVATIONS) expect(ACTIVATION[name].name).toBe(name);
    expect(isActivation('swish')).toBe(false);
    expect(isActivation('toString')).toBe(false);
    expect(slopeInterval('sigmoid', -1, 1)).toEqual(ACTIVATION.sigmoid.slopeOn(-1, 1));
  });

  it.each(ALL_ACTIVATIONS)('%s: derivatives, sup bounds, slope bounds, |s(0)| and flags agree with s', (name) => {
    expect(violations(ACTIVATION[name])).toEqual([]);
  });

  it.each(['leaky-relu(0.01)', 'leaky-relu(0.3)', 'leaky-relu(-0.5)', 'leaky-relu(2)', 'elu(1)', 'elu(0.5)', 'elu(2)'])('%s: the family member agrees with its s as the table\'s entries do', (name) => {
    const a = activationNamed(name)!;
    expect(a.name).toBe(name);
    expect(isNetworkActivation(name)).toBe(true);
    expect(networkActivation(name as never)).toBe(a);
    expect(violations(a)).toEqual([]);
  });

  it('family names resolve only as String(alpha) writes alpha; an elu needs alpha > 0', () => {
    expect(activationNamed('leaky-relu(0.01)')!.f(-2)).toBe(-0.02);
    expect(activationNamed('elu(1)')!.f(-1)).toBe(Math.expm1(-1));
    for (const bad of ['leaky-relu(0.010)', 'leaky-relu()', 'leaky-relu(abc)', 'elu(0)', 'elu(-1)', 'elu(1', 'leaky_relu(0.1)', 'gelu(1)']) {
      expect(activationNamed(bad)).toBeNull();
      expect(isNetworkActivation(bad)).toBe(false);
    }
    expect(activationSlope('leaky-relu(-2)')).toEqual({ alpha: -2, beta: 1, lip: 2, atZero: 0 });
    expect(() => leakyRelu(Number.NaN)).toThrow(/bug/);
    expect(() => elu(0)).toThrow(/bug/);
  });

  it('gelu = t Phi(t): golden values (mpmath, 17 digits), its slope extremes at -+sqrt 2 enclosed, its absolute allowance covering the argument\'s rounding', () => {
    // mpmath: x * ncdf(x) at 40 digits, rounded to the nearest double
    const golden: [number, number][] = [
      [1, 0.841344746068543],
      [-1, -0.15865525393145705],
      [-3, -0.004049694094890284],
      [-5, -0.0000014332578593959695],
      [-10, -7.619853024160526e-23],
      [0.5, 0.34573123063700656],
      [3, 2.99595030590511],
    ];
    for (const [t, v] of golden) expect(Math.abs(ACTIVATION.gelu.f(t) - v)).toBeLessThanOrEqual(4 * 2 ** -53 * Math.abs(v) + ACTIVATION.gelu.absoluteError!);
    const [lo, hi] = ACTIVATION.gelu.slopeRange;
    expect(lo).toBeLessThan(-0.12890414518515475);
    expect(lo).toBeGreaterThan(-0.12890414518516);
    expect(hi).toBeGreaterThan(1.128904145185155);
    expect(ACTIVATION.gelu.df(-Math.SQRT2)).toBeGreaterThanOrEqual(lo);
    expect(Number.isNaN(ACTIVATION.gelu.f(Number.NaN))).toBe(true);
  });

  it('the checker catches planted wrong entries (sup of s\'\' too small, slope range too narrow, a wrong derivative, |s(0)|)', () => {
    expect(violations({ ...ACTIVATION.sigmoid, supAbsD2f: () => 0.09 }).join('\n')).toMatch(/supAbsD2f/);
    expect(violations({ ...ACTIVATION.tanh, slopeRange: [0, 0.9] }).join('\n')).toMatch(/slopeRange/);
    expect(violations({ ...ACTIVATION.softplus, df: (t) => 1 / (1 + Math.exp(-2 * t)) }).join('\n')).toMatch(/differences give/);
    expect(violations({ ...ACTIVATION.softplus, atZero: 0.5 }).join('\n')).toMatch(/atZero/);
    expect(violations({ ...ACTIVATION.cos, slopeOn: () => [-0.5, 0.5] }).join('\n')).toMatch(/outside slopeOn/);
  });

  it('softplus is accurate to a few ulps beyond |t| = 30 (a cut-off at 30 was 10 ulps off at t = 31)', () => {
    const ulp = (x: number) => 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52);
    // ln(1 + e^t) = t + e^-t - e^-2t / 2 + ... and e^t - e^2t / 2 + ... for t < 0
    for (const t of [31, 35, 40]) expect(Math.abs(ACTIVATION.softplus.f(t) - (t + Math.exp(-t)))).toBeLessThanOrEqual(2 * ulp(t));
    for (const t of [-31, -35, -40]) {
      const e = Math.exp(t);
      expect(Math.abs(ACTIVATION.softplus.f(t) - (e - (e * e) / 2))).toBeLessThanOrEqual(2 * ulp(e));
    }
    expect(ACTIVATION.softplus.f(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(ACTIVATION.softplus.f(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(ACTIVATION.sigmoid.f(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(ACTIVATION.sigmoid.f(Number.POSITIVE_INFINITY)).toBe(1);
  });
});
