/**
 * A fixed plain-JS workload (2^24 dependent multiply-adds over a small array) measured in the same run as
 * the kernels: dividing a kernel's time by it normalises away the machine's speed, so that a slower CI
 * machine is not reported as a regression.
 */
export function calibrationLoop(): number {
  const a = new Float64Array(1024);
  for (let i = 0; i < a.length; i++) a[i] = (i % 7) / 7;
  let s = 0;
  for (let r = 0; r < 1 << 14; r++) for (let i = 0; i < 1024; i++) s = s * 0.999 + a[i];
  return s;
}
