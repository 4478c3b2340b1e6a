import { ScatterGatherError } from '../errors.js';

const FORMATS = 'minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS or UNLIMITED';

/**
 * A Slurm time limit (`--time`) in seconds, read as sbatch reads it: `M`,
 * `M:S`, `H:M:S`, `D-H`, `D-H:M`, `D-H:M:S`; a bare number is minutes;
 * undefined for `UNLIMITED` / `INFINITE`.
 */
export function slurmTimeSeconds(time: string | number): number | undefined {
  const text = String(time);
  if (/^(UNLIMITED|INFINITE)$/i.test(text)) return undefined;
  const match = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(text);
  if (match === null) throw badTime(text);
  const [, days, a, b, c] = match;
  const n = (s: string | undefined): number => (s === undefined ? 0 : Number(s));
  let seconds: number;
  if (days !== undefined) seconds = n(days) * 86_400 + n(a) * 3600 + n(b) * 60 + n(c); // D-H[:M[:S]]
  else if (c !== undefined) seconds = n(a) * 3600 + n(b) * 60 + n(c); // H:M:S
  else seconds = n(a) * 60 + n(b); // M[:S]
  if (seconds < 1) throw badTime(text);
  return seconds;
}

function badTime(text: string): ScatterGatherError {
  return new ScatterGatherError('ERR_SLURM_TIME', `'${text}' is not a Slurm time limit: write ${FORMATS} (e.g. '30' for 30 minutes, '2:00:00' for 2 hours)`);
}
