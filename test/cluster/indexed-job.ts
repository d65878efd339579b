/**
 * What the Kubernetes examples must get right beyond the batch/v1 schema (which kubernetes-models checks):
 * a hand-written structural check of the sweep's Indexed Job and its merge Job, each problem one line.
 */

/** The parts of a Kubernetes object these checks read (the manifests are parsed YAML). */
export interface K8sObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, string>;
}

interface Container {
  name?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface Volume {
  name: string;
  persistentVolumeClaim?: { claimName: string };
  configMap?: { name: string };
}
interface PodSpec {
  restartPolicy?: string;
  containers?: Container[];
  volumes?: Volume[];
}
interface FailureRule {
  action?: string;
  onExitCodes?: { containerName?: string; operator?: string; values?: number[] };
}
interface JobSpec {
  completionMode?: string;
  completions?: number;
  parallelism?: number;
  backoffLimit?: number;
  backoffLimitPerIndex?: number;
  podReplacementPolicy?: string;
  podFailurePolicy?: { rules?: FailureRule[] };
  template?: { spec?: PodSpec };
}

/** The robustlaw call in a container's command (`sh -c '... bin/robustlaw.js CMD ARGS; ...'`), split into words. */
export function robustlawCall(c: Container): { command: string; args: string[] } | null {
  const script = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
  const m = /bin\/robustlaw\.js (\w+)([^;]*)/.exec(script);
  if (!m) return null;
  const args = [...m[2].matchAll(/"([^"]*)"|(\S+)/g)].map((w) => w[1] ?? w[2]);
  return { command: m[1], args };
}

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
}

/** The volume mounted at the longest mount path that is a prefix of `path`, with that mount. */
function volumeAt(pod: PodSpec, c: Container, path: string): { volume: Volume | undefined; mountPath: string } | null {
  const mounts = (c.volumeMounts ?? []).filter((m) => path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`)).sort((a, b) => b.mountPath.length - a.mountPath.length);
  if (mounts.length === 0) return null;
  return { volume: (pod.volumes ?? []).find((v) => v.name === mounts[0].name), mountPath: mounts[0].mountPath };
}

function podProblems(pod: PodSpec | undefined, what: string): string[] {
  if (!pod) return [`${what}: no spec.template.spec`];
  const problems: string[] = [];
  if (pod.restartPolicy !== 'Never') problems.push(`${what}: restartPolicy must be Never (a failed pod is replaced, as podFailurePolicy requires), got ${pod.restartPolicy}`);
  const names = new Set((pod.volumes ?? []).map((v) => v.name));
  for (const c of pod.containers ?? []) for (const m of c.volumeMounts ?? []) if (!names.has(m.name)) problems.push(`${what}: container ${c.name} mounts ${m.name}, which is not a volume of the pod`);
  if ((pod.containers ?? []).length !== 1) problems.push(`${what}: one container, got ${(pod.containers ?? []).length}`);
  return problems;
}

/** The claim name of the volume that holds the runs, and where the sweep writes (`--out` up to the shard directory). */
export interface RunsVolume {
  readonly claimName: string;
  readonly mountPath: string;
  /** The run directory: the parent of the shard directories. */
  readonly runDir: string;
}

/**
 * Problems of the sweep's Indexed Job (empty when none): Indexed completions with a count, the count passed to
 * the container as ROBUSTLAW_SHARD_COUNT equal to completions, per-index retries, one pod per index at a time,
 * no retry of refused input (exit 2), `robustlaw sweep --shard env --spec <a ConfigMap file> --out
 * <a PVC>/.../shard-$JOB_COMPLETION_INDEX`, every mount a volume of the pod, and the claim ReadWriteMany in `docs`.
 */
export function sweepJobProblems(job: K8sObject, docs: readonly K8sObject[]): { problems: string[]; runs: RunsVolume | null } {
  const spec = (job.spec ?? {}) as JobSpec;
  const problems: string[] = [];
  const what = `Job ${job.metadata?.name}`;
  if (spec.completionMode !== 'Indexed') problems.push(`${what}: completionMode must be Indexed, got ${spec.completionMode}`);
  if (!(Number.isInteger(spec.completions) && spec.completions! >= 1)) problems.push(`${what}: completions must be an integer >= 1 (the number of shards), got ${spec.completions}`);
  if (!(Number.isInteger(spec.parallelism) && spec.parallelism! >= 1 && spec.parallelism! <= (spec.completions ?? 0))) problems.push(`${what}: parallelism must be an integer in [1, completions], got ${spec.parallelism}`);
  if (!(Number.isInteger(spec.backoffLimitPerIndex) && spec.backoffLimitPerIndex! >= 1)) problems.push(`${what}: backoffLimitPerIndex must be an integer >= 1 (a pod that dies is rerun and resumes), got ${spec.backoffLimitPerIndex}`);
  if (spec.podReplacementPolicy !== 'Failed') problems.push(`${what}: podReplacementPolicy must be Failed (one pod per shard directory at a time), got ${spec.podReplacementPolicy}`);
  const pod = spec.template?.spec;
  problems.push(...podProblems(pod, what));
  const c = pod?.containers?.[0];
  if (!pod || !c) return { problems, runs: null };
  const refused = (spec.podFailurePolicy?.rules ?? []).find((r) => r.action === 'FailIndex' && r.onExitCodes?.operator === 'In' && r.onExitCodes.values?.includes(2));
  if (!refused) problems.push(`${what}: podFailurePolicy must fail the index on exit code 2 (refused input is refused again)`);
  else if (refused.onExitCodes?.containerName !== c.name) problems.push(`${what}: podFailurePolicy names container ${refused.onExitCodes?.containerName}, not ${c.name}`);
  const count = (c.env ?? []).find((e) => e.name === 'ROBUSTLAW_SHARD_COUNT')?.value;
  if (count !== String(spec.completions)) problems.push(`${what}: env ROBUSTLAW_SHARD_COUNT must be completions (${spec.completions}) as a string, got ${JSON.stringify(count)}`);
  const call = robustlawCall(c);
  if (call?.command !== 'sweep') {
    problems.push(`${what}: the container must run robustlaw sweep`);
    return { problems, runs: null };
  }
  if (flag(call.args, '--shard') !== 'env') problems.push(`${what}: robustlaw sweep must take --shard env, got ${flag(call.args, '--shard')}`);
  const specPath = flag(call.args, '--spec') ?? '';
  const specVol = volumeAt(pod, c, specPath);
  const configMap = specVol?.volume?.configMap?.name;
  const cm = docs.find((d) => d.kind === 'ConfigMap' && d.metadata?.name === configMap);
  if (!cm || cm.data?.[specPath.slice(specVol!.mountPath.replace(/\/$/, '').length + 1)] === undefined) problems.push(`${what}: --spec ${specPath} must be a key of a ConfigMap in the file, mounted in the container`);
  const out = flag(call.args, '--out') ?? '';
  const m = /^(.*)\/[^/]*\$\{?JOB_COMPLETION_INDEX\}?$/.exec(out);
  if (!m) problems.push(`${what}: --out must end in a directory named by $JOB_COMPLETION_INDEX, got ${out}`);
  const outVol = volumeAt(pod, c, out);
  const claimName = outVol?.volume?.persistentVolumeClaim?.claimName;
  if (!claimName) {
    problems.push(`${what}: --out ${out} must be on a mounted persistentVolumeClaim (the shards outlive their pods)`);
    return { problems, runs: null };
  }
  const pvc = docs.find((d) => d.kind === 'PersistentVolumeClaim' && d.metadata?.name === claimName);
  if (pvc && !((pvc.spec?.accessModes as string[] | undefined) ?? []).includes('ReadWriteMany')) problems.push(`PersistentVolumeClaim ${claimName}: accessModes must include ReadWriteMany (pods on several nodes write to it)`);
  return { problems, runs: m ? { claimName, mountPath: outVol.mountPath, runDir: m[1] } : null };
}

/** Problems of the merge Job: one pod, not retried on exit 1 or 2, `robustlaw merge RUN/shard-* --out RUN/...` on the sweep's claim at the same path. */
export function mergeJobProblems(job: K8sObject, runs: RunsVolume): string[] {
  const spec = (job.spec ?? {}) as JobSpec;
  const what = `Job ${job.metadata?.name}`;
  const problems = podProblems(spec.template?.spec, what);
  if (spec.completionMode === 'Indexed' || (spec.completions ?? 1) !== 1) problems.push(`${what}: one pod (no completionMode Indexed, completions 1)`);
  const pod = spec.template?.spec;
  const c = pod?.containers?.[0];
  if (!pod || !c) return problems;
  const rule = (spec.podFailurePolicy?.rules ?? []).find((r) => r.action === 'FailJob' && r.onExitCodes?.containerName === c.name);
  if (!(rule?.onExitCodes?.values?.includes(1) && rule.onExitCodes.values.includes(2))) problems.push(`${what}: podFailurePolicy must fail the Job on exit codes 1 and 2 of ${c.name} (a counterexample or refused input is not retried)`);
  const call = robustlawCall(c);
  if (call?.command !== 'merge') return [...problems, `${what}: the container must run robustlaw merge`];
  if (call.args[0] !== `${runs.runDir}/shard-*`) problems.push(`${what}: robustlaw merge must join ${runs.runDir}/shard-*, got ${call.args[0]}`);
  const out = flag(call.args, '--out') ?? '';
  const vol = volumeAt(pod, c, out);
  if (vol?.volume?.persistentVolumeClaim?.claimName !== runs.claimName || vol.mountPath !== runs.mountPath) problems.push(`${what}: the claim ${runs.claimName} must be mounted at ${runs.mountPath}, as in the sweep`);
  return problems;
}
