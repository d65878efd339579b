/**
 * Re-checks a run's record (robustlaw-record/1) from its certificate file (robustlaw-certificate/1) alone
 * (docs/science.md section 11): the lower bound from its witness or the exact value's enclosure, the upper
 * bound from its certificate, and the law's verdict recomputed from the checked bounds and tau eps sqrt(n d / p).
 * @module
 */
import { div, mul, point, sq, sqrt, sub, sum, type Interval } from './interval.js';
import { inDomain, type CheckedDomain } from './domain.js';
import { checkedModel } from './fitted-model.js';
import { f64s, type CheckedModel } from './checked-model.js';
import { witnessLow } from './witness.js';
import type { BoundCheck } from './lip-record.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a certificate file's text (its `{ f64 }` arrays stay encoded until a model reads them). */
export function parseCertificate(text: string): Obj | string {
  try {
    const json: unknown = JSON.parse(text);
    return isObj(json) && json.format === 'robustlaw-certificate/1' ? json : 'not a robustlaw-certificate/1 file';
  } catch (e) {
    return `not JSON (${(e as Error).message})`;
  }
}

/** Every check of one record: its lower bound, its upper bound and its law verdict. `cert`: the parsed file, or why there is none. */
export function checkRecord(record: Obj, cert: Obj | string): BoundCheck[] {
  const name = String(record.id);
  const lower = typeof record.lower === 'number' ? record.lower : null;
  const upper = typeof record.upper === 'number' ? record.upper : null;
  const open = (bound: BoundCheck['bound'], value: number | null, detail: string): BoundCheck => ({ record: name, bound, value, status: 'not checkable', detail });
  const verdict = (status: BoundCheck['status'], detail: string): BoundCheck => ({ record: name, bound: 'verdict', value: null, status, detail });
  if (typeof cert === 'string') return [open('lower', lower, cert), open('upper', upper, cert), open('verdict', null, cert)];
  if (cert.record !== record.id) return (['lower', 'upper', 'verdict'] as const).map((bound) => ({ record: name, bound, value: null, status: 'rejected', detail: `the certificate is of record ${String(cert.record)}` }));
  const f = checkedModel(cert.model);
  const D = (isObj(cert.domain) ? cert.domain : { kind: 'none' }) as unknown as CheckedDomain;
  const out: BoundCheck[] = [];
  // lower: the best of what the witness and the exact value prove
  let lowProven = Number.NEGATIVE_INFINITY;
  let lowCheck: BoundCheck | null = null;
  const why: string[] = [];
  if (lower === null) lowCheck = { record: name, bound: 'lower', value: null, status: 'rejected', detail: 'the lower bound is not a number' };
  else if (typeof f === 'string') lowCheck = open('lower', lower, f);
  else {
    for (const [est, kind] of [[cert.lower, 'witness'], [cert.exact, 'exact']] as const) {
      if (!isObj(est)) continue;
      const w = isObj(est.witness) ? est.witness : {};
      const low = kind === 'exact' ? f.exact(String(est.method), isObj(w.terms) ? w.terms : {}, w.data, D) : witnessLow(f, w, null, D);
      if (typeof low === 'string') why.push(low);
      else if (typeof low === 'number') lowProven = Math.max(lowProven, low);
      else if ('refuted' in low) lowCheck ??= { record: name, bound: 'lower', value: lower, status: 'rejected', detail: low.refuted };
      else lowProven = Math.max(lowProven, low.lo);
    }
    if (lower === 0) lowProven = Math.max(lowProven, 0);
    lowCheck ??=
      lowProven >= lower
        ? { record: name, bound: 'lower', value: lower, status: 'checked', detail: `the certificates prove at least ${lowProven}` }
        : lowProven > Number.NEGATIVE_INFINITY
          ? { record: name, bound: 'lower', value: lower, status: 'rejected', detail: `the certificates prove only ${lowProven}, below the reported ${lower}` }
          : open('lower', lower, why.join('; ') || 'no witness');
  }
  out.push(lowCheck);
  // upper: the certificate of the reported value
  const est = cert.upper;
  if (upper === null) out.push({ record: name, bound: 'upper', value: null, status: 'checked', detail: 'no upper bound reported' });
  else if (typeof f === 'string') out.push(open('upper', upper, f));
  else if (!isObj(est) || est.value !== upper) out.push({ record: name, bound: 'upper', value: upper, status: 'rejected', detail: 'the certificate is not of the reported upper bound' });
  else {
    const w = isObj(est.witness) ? est.witness : {};
    const r = f.upper(String(est.method), isObj(w.terms) ? w.terms : {}, w.data, D);
    if ('reason' in r) out.push(r.rejected ? { record: name, bound: 'upper', value: upper, status: 'rejected', detail: r.reason } : open('upper', upper, r.reason));
    else {
      out.push(r.bound <= upper ? { record: name, bound: 'upper', value: upper, status: 'checked', detail: `the ${String(est.method)} certificate proves at most ${r.bound}` } : { record: name, bound: 'upper', value: upper, status: 'rejected', detail: `the ${String(est.method)} certificate proves only ${r.bound}, above the reported ${upper}` });
    }
  }
  out.push(checkVerdict(record, cert, f, D, out[0].status === 'checked' ? lower : null, out[1].status === 'checked' ? upper : null, verdict));
  return out;
}

/** Var(y) = (1/n) sum_i (y_i - mean)^2, enclosed. */
function variance(y: Float64Array): Interval {
  const n = point(y.length);
  const mean = div(sum(Array.from(y, point)), n);
  return div(sum(Array.from(y, (v) => sq(sub(point(v), mean)))), n);
}

/**
 * The law's verdict from the checked bounds: every training point must lie in the domain (decided exactly), the
 * fit's error is recomputed from the model at the points, eps = sigma^2 - MSE (or Var(y) - MSE for noiseless
 * labels), and then holds (lower >= tau eps sqrt(n d / p)), counterexample (upper below it) or inconclusive.
 */
function checkVerdict(record: Obj, cert: Obj, f: CheckedModel | string, D: CheckedDomain, lower: number | null, upper: number | null, verdict: (s: BoundCheck['status'], d: string) => BoundCheck): BoundCheck {
  const said = record.lawVerdict;
  const law = isObj(cert.law) ? cert.law : {};
  const spec = isObj(record.spec) ? record.spec : {};
  const { n, d, p, eps, tau, sigma2 } = law as Record<string, number>;
  if (said === 'not-applicable') return verdict('checked', 'not applicable (eps <= 0): no verdict to check');
  if (n !== spec.n || d !== spec.d || p !== record.p || eps !== record.eps || sigma2 !== record.sigma2 || law.epsSource !== record.epsSource || !(tau > 0)) return verdict('rejected', "the certificate's law inputs (n, d, p, eps, sigma^2) are not the record's");
  const data = isObj(cert.data) ? cert.data : {};
  const X = f64s(data.X);
  const y = f64s(data.y);
  if (X === null || y === null || X.length !== n * d || y.length !== n) return verdict('not checkable', 'the certificate holds no training data');
  if (typeof f === 'string') return verdict('not checkable', f);
  // the data in the domain, and the squared errors at them
  const errors: Interval[] = [];
  for (let i = 0; i < n; i++) {
    const x = Array.from(X.subarray(i * d, i * d + d));
    const inside = inDomain(D, x);
    if (inside !== true) return typeof inside === 'string' ? verdict('not checkable', inside) : verdict('rejected', `training point ${i + 1}: ${inside.refuted}`);
    const fast = f.valuesLoose?.(x);
    const v = Array.isArray(fast) ? fast : f.values(x, null);
    if (typeof v === 'string') return verdict('not checkable', `the model at training point ${i + 1}: ${v}`);
    errors.push(sq(sub(v[0], point(y[i]))));
  }
  const mse = div(sum(errors), point(n));
  const epsI = sub(law.epsSource === 'label-variance' ? variance(y) : point(sigma2), mse);
  if (!(epsI.lo > 0)) return verdict(epsI.hi <= 0 ? 'rejected' : 'not checkable', `eps = ${law.epsSource === 'label-variance' ? 'Var(y)' : 'sigma^2'} - MSE in [${epsI.lo}, ${epsI.hi}] is not certainly positive, as the record's verdict needs`);
  // tau eps sqrt(n d / p)
  const t: Interval = mul(mul(point(tau), epsI), sqrt(div(mul(point(n), point(d)), point(p))));
  const upperBelow = upper !== null && upper < t.lo;
  const computed = lower !== null && lower >= t.hi ? 'holds' : upperBelow ? 'counterexample' : lower !== null && lower < t.lo && (upper === null || upper >= t.hi) ? 'inconclusive' : null;
  if (computed === null) return verdict('not checkable', `the checked bounds do not decide it against the threshold [${t.lo}, ${t.hi}]`);
  return computed === said ? verdict('checked', `${computed}: the training MSE in [${mse.lo}, ${mse.hi}], threshold tau eps sqrt(n d / p) in [${t.lo}, ${t.hi}]`) : verdict('rejected', `the checked bounds give ${computed}, the record says ${String(said)}`);
}
