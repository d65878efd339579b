import cliProgress from 'cli-progress';

/** A progress reporter: a bar with ETA on a terminal; elsewhere (a CI log, a pipe) nothing, or with
 * `--verbose` one plain line per step. */
export interface Progress {
  tick(label: string): void;
  stop(): void;
}

/** Creates a progress reporter on stderr for `total` steps, `start` of them already done (a resume). */
export function progress(total: number, title: string, start = 0, verbose = false): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar({ format: `${title} [{bar}] {value}/{total} | ETA {eta_formatted} | {label}`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
    bar.start(total, start, { label: '' });
    return { tick: (label) => bar.increment(1, { label }), stop: () => bar.stop() };
  }
  if (!verbose) return { tick: () => {}, stop: () => {} };
  let done = start;
  return {
    tick: (label) => {
      done++;
      process.stderr.write(`${title} ${done}/${total} ${label}\n`);
    },
    stop: () => {},
  };
}
