import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { Streams } from '../../src/core/streams.js';
import { domainName, type Domain } from '../../src/lipschitz/domain.js';
import type { LipEstimate } from '../../src/lipschitz/estimate.js';
import { lipschitz } from '../../src/estimators/lipschitz.js';
import { checkModel } from '../../src/law/check-model.js';
import { reluExactLipschitz } from '../../src/lipschitz/relu-exact.js';
import { networkBounds } from '../../src/lipschitz/sdp/network-bounds.js';
import { LIPSDP_BNB, RELU_REGION, reluBranchAndBound, reluBranchAndBoundWithTestFaults } from '../../src/lipschitz/sdp/relu-branch-and-bound.js';
import { mlpModel, type MlpModel } from '../../src/models/mlp.js';
import { parseMlpNetwork } from '../../src/models/formats/robustlaw-mlp.js';
import { dataRadius } from '../../src/models/model.js';
import { DEEP_NETS, evidenceNets, randomLayers, reluGradNormAt, type Layer } from '../fixtures/relu-nets.js';

// The branch and bound's relu-region lower bound as lip --model and check-model report it (docs/science.md
// section 9.6, "Lower bound"): Model.lowerLipschitz, considered by the estimator like any other lower bound.

const Rd = { kind: 'Rd' } as const;
const relus = (layers: readonly Layer[]) => layers.slice(1).map(() => 'relu' as const);
const nets = () => [...evidenceNets().map((n, i) => ({ name: `mixed ${i}`, layers: n })), ...DEEP_NETS.map(([seed, dims]) => ({ name: `deep ${dims.join('-')}`, layers: randomLayers(seed, dims) }))];

/**
 * The independent checks of a relu-region lower bound over D (a ball or R^d): its witness point lies in D,
 * the gradient norm there (the fixture's own backpropagation, not the models' code) is at least the value,
 * and the value is at most `upperBound`, a certified upper bound on Lip_D(f) (the exact value, or the bnb's
 * upper bound on a ball).
 */
function expectSoundLower(layers: readonly Layer[], D: Domain, lower: LipEstimate, upperBound: number): void {
  const w = lower.witness;
  expect(w.type).toBe('point');
  if (w.type !== 'point') return;
  expect(w.region?.checkedExactly).toBe(true);
  if (D.kind === 'ball') expect(Math.hypot(...w.x)).toBeLessThanOrEqual(D.radius);
  expect(lower.value).toBeLessThanOrEqual(reluGradNormAt(layers, Float64Array.from(w.x)) * (1 + 1e-12));
  expect(lower.value).toBeLessThanOrEqual(w.region!.gradNormHi);
  expect(lower.value).toBeLessThanOrEqual(upperBound);
}

describe('relu-region: the lipsdp-bnb search\'s lower bound reaches lip (docs/science.md section 9.6)', () => {
  it('the 20 mixed nets and 6 deep nets on R^d: lip\'s lower bound <= the exact value, and the bnb\'s lower bound where that is the best', () => {
    let regionBest = 0;
    const rows: string[] = [];
    for (const { name, layers } of nets()) {
      const exact = reluExactLipschitz(layers, relus(layers)).estimate!;
      expect(exact.kind).toBe('exact');
      const model = mlpModel(layers, relus(layers));
      const report = lipschitz(model, { domain: Rd, rng: new Rng(11), starts: 4, rounds: 1 });
      const bnb = networkBounds(layers, relus(layers), Rd, 1);
      expect(bnb.upper!.method).toBe(LIPSDP_BNB);
      expect(bnb.lower!.method).toBe(RELU_REGION);
      expectSoundLower(layers, Rd, bnb.lower!, exact.interval!.hi);
      expect(report.lower.value).toBeLessThanOrEqual(exact.interval!.hi);
      // the estimator considered it: its lower bound is at least the bnb's, and the bnb's where that is the best
      expect(report.lower.value).toBeGreaterThanOrEqual(bnb.lower!.value);
      expect(report.estimates.some((e) => e.method === RELU_REGION && e.value === bnb.lower!.value)).toBe(true);
      if (report.lower.method === RELU_REGION) {
        regionBest++;
        expect(report.lower).toEqual(bnb.lower);
      }
      rows.push(`${name}: lower / exact ${(report.lower.value / exact.value).toFixed(9)} (${report.lower.method}), bnb lower / exact ${(bnb.lower!.value / exact.value).toFixed(9)}`);
    }
    console.log(`relu-region in lip on R^d (${regionBest} of ${rows.length} nets: the bnb's lower bound is the best):\n${rows.join('\n')}`);
    expect(regionBest).toBeGreaterThan(rows.length / 2);
  });

  it('on balls of radius 0.2 and 0.5: the lower bound\'s point lies in the ball and the value is at most the bnb\'s upper bound', () => {
    for (const { layers } of nets().slice(0, 20)) {
      for (const radius of [0.2, 0.5]) {
        const D = { kind: 'ball', radius } as const;
        const model = mlpModel(layers, relus(layers));
        const report = lipschitz(model, { domain: D, rng: new Rng(12), starts: 4, rounds: 1 });
        const upper = report.upper!.value;
        expect(report.lower.value).toBeLessThanOrEqual(upper);
        const region = report.estimates.find((e) => e.method === RELU_REGION);
        expect(region).toBeDefined();
        expectSoundLower(layers, D, region!, upper);
      }
    }
  });

  it('a known bad input is caught: a region\'s value taken without its point in the domain exceeds Lip over the ball', () => {
    // evidence nets 2 and 19 on ball(0, 0.5), net 17 on ball(0, 0.2): the region of largest gradient norm
    // misses the ball, and the LP's point for it lies outside (no seeded points, so the LPs decide)
    const evidence = evidenceNets();
    for (const [i, radius] of [[2, 0.5], [17, 0.2], [19, 0.5]] as const) {
      const layers = evidence[i];
      const D = { kind: 'ball', radius } as const;
      const good = reluBranchAndBound(layers, ['relu'], D, 1, { samples: 0 });
      const bad = reluBranchAndBoundWithTestFaults(layers, ['relu'], D, 1, { samples: 0 }, { lowerOutsideDomain: true });
      expectSoundLower(layers, D, good.lower!, good.upper!.value);
      // the fault's lower bound is above the certified upper bound on Lip over the ball: the check fails
      expect(bad.lower!.value).toBeGreaterThan(good.upper!.value);
      expect(() => expectSoundLower(layers, D, bad.lower!, good.upper!.value)).toThrow();
    }
  });

  it('no lower bound on a sphere (only tangential secants count there), and nets outside the bnb\'s limits keep the searches\' lower bounds', () => {
    const layers = evidenceNets()[3];
    const model = mlpModel(layers, ['relu']);
    expect(model.lowerLipschitz!({ kind: 'sphere', radius: 1 })).toBeNull();
    const wide = mlpModel(randomLayers(2, [3, 65, 1]), ['relu']);
    expect(wide.lowerLipschitz!(Rd)).toBeNull();
    expect(mlpModel(layers, ['tanh']).lowerLipschitz!(Rd)).toBeNull();
  });

  it('one search per domain object: lowerLipschitz after upperLipschitz returns the same search\'s bound', () => {
    const layers = randomLayers(31, [2, 7, 5, 1]);
    const model = mlpModel(layers, relus(layers));
    const D = { kind: 'ball', radius: 2 } as const;
    const up = model.upperLipschitz(D, new Rng(1));
    const lo = model.lowerLipschitz!(D);
    expect(up!.method).toBe(LIPSDP_BNB);
    // a second search would give new objects: the cached ones come back
    expect(model.lowerLipschitz!(D)).toBe(lo);
    expect(model.upperLipschitz(D, new Rng(2))).toBe(up);
    // the upper bound's certificate records the same search's lower bound
    const w = up!.witness;
    expect(w.type === 'certificate' && w.terms.lower).toBe(lo!.value);
    // another domain object is another search
    expect(model.lowerLipschitz!({ kind: 'ball', radius: 2 })).not.toBe(lo);
  });
});

describe('examples/formats/classifier.json (4-8-3): each output as lip --model reports it', () => {
  const net = parseMlpNetwork(JSON.parse(readFileSync('examples/formats/classifier.json', 'utf8')), 'classifier.json');
  const head = (i: number): MlpModel => {
    const c = new Float64Array(net.outputs);
    c[i] = 1;
    return net.head(c, `output ${i}`);
  };
  // as lip --model: ball(0, 1), the stream estimator/output<i> of seed 1, default effort
  const perOutput = () =>
    Array.from({ length: net.outputs }, (_, i) => lipschitz(head(i), { domain: { kind: 'ball', radius: 1 }, rng: new Streams(1).stream(`estimator/output${i}`) }));

  it('the bnb\'s lower bound is the reported one, sound, and output 1\'s ratio closes (1.032 with the ascent\'s secant alone); same seed, same numbers', () => {
    const a = perOutput();
    const D = { kind: 'ball', radius: 1 } as const;
    a.forEach((r, i) => {
      const m = head(i);
      const bnb = networkBounds(m.layers, m.activations, D, 1);
      expect(r.lower.method).toBe(RELU_REGION);
      expect(r.lower).toEqual(bnb.lower);
      expect(r.upper!.method).toBe(LIPSDP_BNB);
      expectSoundLower(m.layers, D, r.lower, r.upper!.value);
    });
    expect(a[1].ratio).toBeLessThan(1 + 1e-9);
    expect(a[2].ratio).toBeLessThan(1.005);
    const b = perOutput();
    expect(b.map((r) => [r.lower, r.upper, r.ratio])).toEqual(a.map((r) => [r.lower, r.upper, r.ratio]));
  });

  it('check-model on the margin f_1 - f_2 reports the relu-region lower bound, sound, on the data\'s ball', () => {
    const rng = new Rng(5);
    const n = 30;
    const X = rng.fillNormal(new Float64Array(n * 4));
    const y = Float64Array.from({ length: n }, (_, i) => (X[i * 4] > 0 ? 1 : -1));
    const margin = net.head(Float64Array.from([0, 1, -1]), 'margin f_1 - f_2');
    const run = () => checkModel({ model: margin, X, y, n, sigma2: 1, rng: new Streams(1).stream('estimator') });
    const r = run();
    expect(r.lowerMethod).toBe(RELU_REGION);
    expect(r.upperMethod).toBe(LIPSDP_BNB);
    // check-model's domain: the ball of the data's radius
    const radius = dataRadius(X, n, 4);
    expect(r.domain).toBe(domainName({ kind: 'ball', radius }));
    expectSoundLower(margin.layers, { kind: 'ball', radius }, { kind: 'lower', value: r.lower, witness: r.lowerWitness, domain: r.domain, evaluations: 0, method: r.lowerMethod }, r.upper!);
    expect(r.ratio!).toBeLessThan(1.005);
    const again = run();
    expect([again.lower, again.upper]).toEqual([r.lower, r.upper]);
  });
});
