import cliProgress from 'cli-progress';

/** A progress reporter: a bar with ETA on a terminal, plain lines otherwise (CI logs). */
export interface Progress {
  tick(label: string): void;
  stop(): void;
}

/** Creates a progress reporter on stderr for `total` steps, `start` of them already done (a resume). */
export function progress(total: number, title: string, start = 0): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar({ format: `${title} [{bar}] {value}/{total} | ETA {eta_formatted} | {label}`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
    bar.start(total, start, { label: '' });
    return { tick: (label) => bar.increment(1, { label }), stop: () => bar.stop() };
  }
  let done = start;
  return {
    tick: (label) => {
      done++;
      process.stderr.write(`${title} ${done}/${total} ${label}\n`);
    },
    stop: () => {},
  };
}
