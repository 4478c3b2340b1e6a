import assert from 'node:assert/strict';
import { slurmCluster } from '@scattergather/kernel-ext';

describe('Slurm launcher: time limits in Slurm\'s formats become the worker\'s --walltime', () => {
  const walltime = async (time: string | number): Promise<string | undefined> => {
    const script = await slurmCluster({ nodes: 1, time, dryRun: true });
    return /--walltime \$\(\((\d+) - SECONDS\)\)/.exec(script)?.[1];
  };

  it('reads minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM and D-HH:MM:SS', async () => {
    const cases: Array<[string | number, number]> = [
      [30, 1800], ['30', 1800], ['5:30', 330], ['1:00:00', 3600], ['2:03:04', 7384],
      ['1-0', 86_400], ['1-2', 93_600], ['1-2:30', 95_400], ['1-02:30:15', 95_415],
    ];
    for (const [time, seconds] of cases) assert.equal(await walltime(time), String(seconds), `time ${time}`);
  });

  it('gives no walltime for UNLIMITED or INFINITE, and asks Slurm for that limit', async () => {
    for (const time of ['UNLIMITED', 'infinite']) {
      assert.equal(await walltime(time), undefined);
      assert.match(await slurmCluster({ nodes: 1, time, dryRun: true }), new RegExp(`^#SBATCH --time=${time}$`, 'm'));
    }
  });

  it('refuses what sbatch would not read, saying which formats it takes', async () => {
    for (const time of ['', '0', '1h', '1:2:3:4', '-5', '1:00 ']) {
      await assert.rejects(slurmCluster({ nodes: 1, time, dryRun: true }), /is not a Slurm time limit: write minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS or UNLIMITED/, `time '${time}'`);
    }
  });
});
