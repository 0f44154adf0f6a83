import { SingleBar, Presets } from 'cli-progress';

/** A progress bar with the rate, on stderr so stdout stays clean for JSON and NDJSON. */
export const progressBar = (label: string, total: number) => {
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | {duration_formatted}`,
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  const started = performance.now();
  bar.start(Math.max(total, 1), 0, { rate: 0 });
  return {
    update: (done: number) => {
      const seconds = (performance.now() - started) / 1000;
      if (done > bar.getTotal()) bar.setTotal(done);
      bar.update(done, { rate: seconds > 0 ? Math.round(done / seconds) : 0 });
    },
    stop: () => bar.stop(),
  };
};
