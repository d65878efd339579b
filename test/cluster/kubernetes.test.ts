/**
 * The Kubernetes examples (examples/cluster/k8s/*.yaml), offline: every document validated against its
 * Kubernetes schema (the `kubernetes-models` package: the API's OpenAPI schemas compiled to validators, with
 * batch/v1 Job's completionMode, backoffLimitPerIndex, podReplacementPolicy and podFailurePolicy), then the
 * fields that matter checked by hand (indexed-job.ts), the shard arithmetic with the environment each pod
 * gets (JOB_COMPLETION_INDEX 0..N-1 -> shards 1..N), and every pod's command run here, with the volumes as
 * local directories, on a small spec: the merge equals the unsharded sweep, record for record.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, PersistentVolumeClaim } from 'kubernetes-models/v1';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { expandGrid } from '../../src/sweep/grid.js';
import { withoutTiming, type SweepRecord } from '../../src/law/record.js';
import { inShard } from '../../src/sweep/shard.js';
import { shardFromEnv, SHARD_COUNT_VAR } from '../../src/sweep/shard-env.js';
import { canonicalJson, parseSweepSpec } from '../../src/sweep/spec.js';
import { cli } from '../cli/helpers.js';
import { mergeJobProblems, robustlawCall, sweepJobProblems, type K8sObject } from './indexed-job.js';

const ROOT = join(import.meta.dirname, '..', '..');
const K8S = join(ROOT, 'examples', 'cluster', 'k8s');
const docsOf = (file: string) => parseAllDocuments(readFileSync(join(K8S, file), 'utf8')).map((d) => d.toJS() as K8sObject);
const sweepDocs = docsOf('sweep-job.yaml');
const mergeDocs = docsOf('merge-job.yaml');
const sweepJob = sweepDocs.find((d) => d.kind === 'Job')!;
const mergeJob = mergeDocs.find((d) => d.kind === 'Job')!;
const clone = <T>(x: T): T => structuredClone(x);
type Pod = { containers: { env: { name: string; value: string }[]; command: string[]; volumeMounts: { name: string; mountPath: string }[] }[]; volumes: { name: string }[]; restartPolicy?: string };
const podOf = (job: K8sObject) => (job.spec as { template: { spec: Pod } }).template.spec;

/** Validates a document against the schema of its apiVersion and kind; throws on a violation or an unknown kind. */
function validate(doc: K8sObject): void {
  const models: Record<string, new (data: never) => { validate(): void }> = { 'batch/v1 Job': Job, 'v1 ConfigMap': ConfigMap, 'v1 PersistentVolumeClaim': PersistentVolumeClaim };
  const Model = models[`${doc.apiVersion} ${doc.kind}`];
  if (!Model) throw new Error(`no schema here for ${doc.apiVersion} ${doc.kind}`);
  new Model(doc as never).validate();
}

describe('the manifests against the Kubernetes schemas', () => {
  it('sweep-job.yaml is a PersistentVolumeClaim, a ConfigMap and a batch/v1 Job; merge-job.yaml a batch/v1 Job; all valid', () => {
    expect(sweepDocs.map((d) => `${d.apiVersion} ${d.kind}`)).toEqual(['v1 PersistentVolumeClaim', 'v1 ConfigMap', 'batch/v1 Job']);
    expect(mergeDocs.map((d) => `${d.apiVersion} ${d.kind}`)).toEqual(['batch/v1 Job']);
    for (const d of [...sweepDocs, ...mergeDocs]) expect(() => validate(d), `${d.kind} ${d.metadata?.name}`).not.toThrow();
  });

  it.each([
    ['completions as a string', (j: K8sObject) => Object.assign(j.spec!, { completions: '8' }), /completions must be integer/],
    ['a container without a name', (j: K8sObject) => delete (podOf(j).containers[0] as { name?: string }).name, /containers\/0 must have required property name/],
    ['an env value that is a number', (j: K8sObject) => Object.assign(podOf(j).containers[0].env[0], { value: 8 }), /value must be string/],
    ['a volume mount without a path', (j: K8sObject) => delete (podOf(j).containers[0].volumeMounts[0] as { mountPath?: string }).mountPath, /volumeMounts\/0 must have required property mountPath/],
    ['a Job without a pod template', (j: K8sObject) => delete (j.spec as { template?: unknown }).template, /data\/spec must have required property template/],
  ])('the schema rejects a Job with %s (the validation can fail)', (_what, mutate, message) => {
    const bad = clone(sweepJob);
    mutate(bad);
    expect(() => validate(bad)).toThrow(message);
  });
});

describe('the fields that matter, checked by hand', () => {
  it('the sweep Job: Indexed, the count in ROBUSTLAW_SHARD_COUNT, retries per index, shards on a ReadWriteMany claim; the merge Job joins them', () => {
    const { problems, runs } = sweepJobProblems(sweepJob, sweepDocs);
    expect(problems).toEqual([]);
    expect(runs).toEqual({ claimName: 'robustlaw-runs', mountPath: '/runs', runDir: '/runs/grid1' });
    expect(mergeJobProblems(mergeJob, runs!)).toEqual([]);
  });

  it.each([
    ['completionMode NonIndexed', (j: K8sObject) => Object.assign(j.spec!, { completionMode: 'NonIndexed' }), /completionMode must be Indexed/],
    ['completions that are not the count', (j: K8sObject) => Object.assign(j.spec!, { completions: 9 }), /env ROBUSTLAW_SHARD_COUNT must be completions \(9\)/],
    ['no ROBUSTLAW_SHARD_COUNT', (j: K8sObject) => (podOf(j).containers[0].env = []), /ROBUSTLAW_SHARD_COUNT must be completions \(8\) as a string, got undefined/],
    ['parallelism above completions', (j: K8sObject) => Object.assign(j.spec!, { parallelism: 9 }), /parallelism must be an integer in \[1, completions\]/],
    ['no backoffLimitPerIndex', (j: K8sObject) => delete (j.spec as { backoffLimitPerIndex?: number }).backoffLimitPerIndex, /backoffLimitPerIndex must be an integer >= 1/],
    ['two pods per index at once', (j: K8sObject) => delete (j.spec as { podReplacementPolicy?: string }).podReplacementPolicy, /podReplacementPolicy must be Failed/],
    ['restartPolicy OnFailure', (j: K8sObject) => (podOf(j).restartPolicy = 'OnFailure'), /restartPolicy must be Never/],
    ['a mount of no volume', (j: K8sObject) => (podOf(j).volumes = podOf(j).volumes.filter((v) => v.name !== 'runs')), /mounts runs, which is not a volume of the pod/],
    ['--shard 1/8', (j: K8sObject) => (podOf(j).containers[0].command[2] = podOf(j).containers[0].command[2].replace('--shard env', '--shard 1/8')), /must take --shard env, got 1\/8/],
    ['an --out not named by the index', (j: K8sObject) => (podOf(j).containers[0].command[2] = podOf(j).containers[0].command[2].replace('shard-$JOB_COMPLETION_INDEX', 'shard')), /--out must end in a directory named by \$JOB_COMPLETION_INDEX/],
    ['outputs in the container, not on the claim', (j: K8sObject) => (podOf(j).containers[0].command[2] = podOf(j).containers[0].command[2].replace('/runs/grid1', '/tmp/grid1')), /must be on a mounted persistentVolumeClaim/],
    ['a spec that is not in the ConfigMap', (j: K8sObject) => (podOf(j).containers[0].command[2] = podOf(j).containers[0].command[2].replace('/spec/sweep.yaml', '/spec/other.yaml')), /--spec \/spec\/other\.yaml must be a key of a ConfigMap/],
    ['refused input retried', (j: K8sObject) => ((j.spec as { podFailurePolicy?: unknown }).podFailurePolicy = { rules: [] }), /must fail the index on exit code 2/],
  ])('a sweep Job with %s is caught', (_what, mutate, message) => {
    const bad = clone(sweepJob);
    mutate(bad);
    expect(sweepJobProblems(bad, sweepDocs).problems.join('\n')).toMatch(message);
  });

  it('a claim that only one node can mount is caught', () => {
    const docs = clone(sweepDocs);
    (docs[0].spec as { accessModes: string[] }).accessModes = ['ReadWriteOnce'];
    expect(sweepJobProblems(sweepJob, docs).problems).toEqual(['PersistentVolumeClaim robustlaw-runs: accessModes must include ReadWriteMany (pods on several nodes write to it)']);
  });

  it.each([
    ['another run directory', (j: K8sObject) => (podOf(j).containers[0].command[2] = podOf(j).containers[0].command[2].replace('/runs/grid1/shard-*', '/runs/grid2/shard-*')), /must join \/runs\/grid1\/shard-\*/],
    ['the claim at another path', (j: K8sObject) => (podOf(j).containers[0].volumeMounts[0].mountPath = '/data'), /the claim robustlaw-runs must be mounted at \/runs/],
    ['a counterexample retried', (j: K8sObject) => ((j.spec as { podFailurePolicy?: unknown }).podFailurePolicy = undefined), /must fail the Job on exit codes 1 and 2/],
  ])('a merge Job with %s is caught', (_what, mutate, message) => {
    const bad = clone(mergeJob);
    mutate(bad);
    expect(mergeJobProblems(bad, sweepJobProblems(sweepJob, sweepDocs).runs!).join('\n')).toMatch(message);
  });

  it("the ConfigMap's spec is examples/cluster/sweep.yaml", () => {
    const cm = sweepDocs.find((d) => d.kind === 'ConfigMap')!;
    const inK8s = parseSweepSpec(parse(cm.data!['sweep.yaml']), 'ConfigMap robustlaw-spec');
    const example = parseSweepSpec(parse(readFileSync(join(ROOT, 'examples', 'cluster', 'sweep.yaml'), 'utf8')), 'examples/cluster/sweep.yaml');
    expect(canonicalJson(inK8s)).toBe(canonicalJson(example));
  });
});

describe('the shard arithmetic, with the environment each pod gets', () => {
  const job = sweepJob.spec as { completions: number };
  const count = podOf(sweepJob).containers[0].env.find((e) => e.name === SHARD_COUNT_VAR)!.value;
  const grid = expandGrid(parseSweepSpec(parse(sweepDocs.find((d) => d.kind === 'ConfigMap')!.data!['sweep.yaml']), 'ConfigMap'));

  it('JOB_COMPLETION_INDEX 0..N-1 -> shards 1..N of N, which partition the grid, one directory each', () => {
    const shards = Array.from({ length: job.completions }, (_, k) => shardFromEnv({ JOB_COMPLETION_INDEX: String(k), [SHARD_COUNT_VAR]: count }));
    expect(shards.map((s) => `${s.index}/${s.count}`)).toEqual(Array.from({ length: job.completions }, (_, k) => `${k + 1}/${job.completions}`));
    expect(grid.every((g) => shards.filter((s) => inShard(g.index, s)).length === 1)).toBe(true);
    expect(shards.every((s) => grid.some((g) => inShard(g.index, s)))).toBe(true);
  });

  it('an index past the count (completions raised without the count) is refused', () => {
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: String(job.completions), [SHARD_COUNT_VAR]: count })).toThrow(/JOB_COMPLETION_INDEX must be an integer in \[0, 7\]/);
  });
});

/** Runs a container's `sh -c` command here: each mount path becomes a directory under `volumes`, the image's workingDir the checkout. */
function runPod(command: readonly string[], mounts: readonly string[], volumes: string, env: Readonly<Record<string, string>>, path = process.env.PATH ?? ''): Promise<{ code: number; stderr: string }> {
  let script = command[2];
  for (const m of mounts) script = script.replaceAll(`${m}/`, `${volumes}${m}/`);
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], [command[1], script], { cwd: ROOT, env: { ...process.env, PATH: path, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => void (stderr += b.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

describe("every pod's command, run here on a small spec", () => {
  const volumes = mkdtempSync(join(tmpdir(), 'robustlaw-k8s-'));
  const sweepPod = podOf(sweepJob).containers[0];
  const mergePod = podOf(mergeJob).containers[0];
  const mounts = sweepPod.volumeMounts.map((m) => m.mountPath);
  const completions = (sweepJob.spec as { completions: number }).completions;
  const count = sweepPod.env.find((e) => e.name === SHARD_COUNT_VAR)!.value;
  const small = { class: ['random-features', 'bumps'], n: 16, d: 4, k: [4, 8, 16], seeds: 3, backend: 'cpu' };
  let pods: { code: number; stderr: string }[];

  beforeAll(async () => {
    mkdirSync(join(volumes, 'spec'), { recursive: true });
    writeFileSync(join(volumes, 'spec', 'sweep.yaml'), JSON.stringify(small));
    // the Job controller's pods, two at a time (this machine's cores)
    pods = [];
    for (let k = 0; k < completions; k += 2) {
      const batch = [k, k + 1].filter((i) => i < completions);
      const done = await Promise.all(batch.map((i) => runPod(sweepPod.command, mounts, volumes, { JOB_COMPLETION_INDEX: String(i), [SHARD_COUNT_VAR]: count })));
      batch.forEach((i, j) => (pods[i] = done[j]));
    }
  }, 120_000);

  it('each pod k runs shard k+1 of N into shard-k; the merge Job joins them into the unsharded records', async () => {
    pods.forEach((p, k) => {
      expect(p.code, p.stderr).toBe(0);
      expect(p.stderr).toMatch(new RegExp(`\\(shard ${k + 1}/${completions}, from JOB_COMPLETION_INDEX=${k} of ROBUSTLAW_SHARD_COUNT=${completions}\\) -> ${volumes}/runs/grid1/shard-${k}`));
    });
    const merged = await runPod(mergePod.command, mounts, volumes, {});
    expect(merged.code, merged.stderr).toBe(0);
    const whole = join(volumes, 'whole');
    const w = cli(['sweep', '--spec', join(volumes, 'spec', 'sweep.yaml'), '--out', whole, '--no-report']);
    expect(w.code, w.stderr).toBe(0);
    const records = (dir: string) => readFileSync(join(dir, 'results.jsonl'), 'utf8').trimEnd().split('\n').map((l) => canonicalJson(withoutTiming(JSON.parse(l) as SweepRecord)));
    expect(records(join(volumes, 'runs', 'grid1', 'merged'))).toEqual(records(whole));
    expect(records(whole)).toHaveLength(expandGrid(parseSweepSpec(small)).length);
  }, 60_000);

  it('the merge Job refuses a missing shard, naming it (exit 2: not retried)', async () => {
    const part = join(volumes, 'part');
    mkdirSync(join(part, 'runs', 'grid1'), { recursive: true });
    for (const k of [0, 1, 2, 4, 5, 6, 7]) spawnSync('cp', ['-r', join(volumes, 'runs', 'grid1', `shard-${k}`), join(part, 'runs', 'grid1')]);
    const r = await runPod(mergePod.command, mounts, part, {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^robustlaw: <dirs\.\.\.> must be the outputs of every shard, each finished \(got shard 4\/8 not among the inputs;/);
  }, 30_000);

  it('a sweep pod that finds a certified counterexample (exit 1) ends well; a refused one (exit 2) fails; the command is robustlaw sweep', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'robustlaw-fakenode-'));
    for (const [code, expected] of [[1, 0], [2, 2], [0, 0]]) {
      writeFileSync(join(bin, 'node'), `#!/bin/sh\necho "$@" >"${bin}/args"\nexit ${code}\n`);
      chmodSync(join(bin, 'node'), 0o755);
      const r = await runPod(sweepPod.command, mounts, volumes, { JOB_COMPLETION_INDEX: '3', [SHARD_COUNT_VAR]: count }, `${bin}:${process.env.PATH}`);
      expect(r.code).toBe(expected);
      expect(readFileSync(join(bin, 'args'), 'utf8')).toBe(`bin/robustlaw.js sweep --spec ${volumes}/spec/sweep.yaml --shard env --out ${volumes}/runs/grid1/shard-3 --no-report\n`);
    }
    expect(robustlawCall(sweepPod)?.command).toBe('sweep');
  });
});
