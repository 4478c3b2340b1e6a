/**
 * What the bench reports: each figure of ours beside the baselines measured in
 * the same run. A figure names metrics (see BenchCase) by case key and name.
 */
import { keptMergeFigures } from './cases/kept-merge.js';

export interface MetricRef {
  key: string;
  metric: string;
  label: string;
}

export interface FigureSpec {
  id: string;
  title: string;
  unit: string;
  better: 'higher' | 'lower';
  ours: MetricRef;
  baselines: MetricRef[];
}

export interface FigureParams {
  noopTasks: number;
  /** The dashboard's cost is measured on a longer set: the page updates a few times a second. */
  dashboardTasks: number;
  roundTrips: number;
  /** Unmeasured round trips before the warm figures 3a/3b: V8 optimizes the path only after a few thousand. */
  roundTripWarmUp: number;
  /** …and before each measured run, as the cluster sat idle while the other cases ran. */
  roundTripRewarmMs: number;
  histogramTasks: number;
  histogramSize: number;
  /** Unmeasured histogram sets before the warm figure 4. */
  histogramWarmUpSets: number;
  histogramRewarmMs: number;
  /** Each measured run of figure 4 (and of its serial baseline) is the median of this many sets. */
  histogramSetsPerRun: number;
  bulkTasks: number;
  bulkMiB: number;
  /** More than bulkTasks: at a few GiB/s, 64 MiB is over too fast for a steady figure. */
  bulkBaselineMessages: number;
  pushPullMessages: number;
  smallBytes: number;
  executors: number;
  sleepTasks: number;
  sleepMs: number;
  sleepExecutors: number;
}

const zmq = (name: string, transport: string, metric: string, label: string): MetricRef => ({ key: `zmq.${name}.${transport}`, metric, label: `${label}, ${transport}` });

export function figureSpecs(p: FigureParams): FigureSpec[] {
  const small = `${p.smallBytes} B`;
  const transports = ['tcp', 'ipc'];
  const echoPipelines = transports.map((t) => zmq('echoPipeline', t, 'msgsPerSec', `raw DEALER→ROUTER echo pipeline ×${p.noopTasks.toLocaleString('en-US')}`));
  const warmOwn = `on a cluster of their own, after ${p.roundTripWarmUp.toLocaleString('en-US')} unmeasured, and ${p.roundTripRewarmMs} ms of them before each run`;
  const afterOthers = 'each run right after the other cases\' work';
  const roundTripFigure = (id: string, title: string, key: string, q: 'p50' | 'p99', label: string): FigureSpec => ({
    id, title, unit: 'µs', better: 'lower',
    ours: { key, metric: `${q}Us`, label },
    baselines: transports.map((t) => zmq('roundTrip', t, `${q}Us`, `raw DEALER↔ROUTER ${small} ${q}`)),
  });
  const histogramFigure = (id: string, title: string, ours: MetricRef): FigureSpec => ({
    id, title, unit: 'ms', better: 'lower', ours,
    baselines: [{ key: 'local.histogram', metric: 'wallMs', label: `same calls serially in the bench process (no zmq), median of ${p.histogramSetsPerRun} a run` }],
  });
  return [
    {
      id: 'noopThroughput',
      title: `1. no-op tasks/s: ${p.noopTasks.toLocaleString('en-US')} × echo(i), whole path, ${p.executors} executors`,
      unit: '/s',
      better: 'higher',
      ours: { key: 'ours.noop', metric: 'tasksPerSec', label: 'scattergather' },
      baselines: [
        ...transports.map((t) => zmq('pushPull', t, 'msgsPerSec', `raw PUSH→PULL ${small} msgs, one way`)),
        ...echoPipelines,
      ],
    },
    {
      id: 'freshFirstSet',
      title: `2. the first ${p.noopTasks.toLocaleString('en-US')} × echo(i) set on a fresh localCluster (${p.executors} executors), tasks/s`,
      unit: '/s',
      better: 'higher',
      ours: { key: 'ours.fresh', metric: 'firstSetTasksPerSec', label: 'scattergather' },
      baselines: echoPipelines,
    },
    roundTripFigure('roundTripP50', `3a. single-task round trip p50 (${p.roundTrips} sequential one-task sets ${warmOwn})`, 'ours.roundTrip', 'p50', 'scattergather'),
    roundTripFigure('roundTripP99', `3b. single-task round trip p99 (${p.roundTrips} sequential one-task sets ${warmOwn})`, 'ours.roundTrip', 'p99', 'scattergather'),
    roundTripFigure('roundTripSharedP99', `3e. the same p99 on the bench's shared cluster, ${afterOthers}`, 'ours.roundTrip.shared', 'p99', 'scattergather, shared cluster'),
    roundTripFigure('roundTripColdP50', `3c. the same p50 on a fresh localCluster: its first ${p.roundTrips} round trips`, 'ours.freshUses', 'p50', 'scattergather, cold'),
    roundTripFigure('roundTripColdP99', `3d. the same p99 on a fresh localCluster: its first ${p.roundTrips} round trips`, 'ours.freshUses', 'p99', 'scattergather, cold'),
    histogramFigure('histogramSet', `4. seed set: ${p.histogramTasks} × histogram(${p.histogramSize}, normal, bins 10), wall time, on a cluster of its own after ${p.histogramWarmUpSets} unmeasured sets; each run ${p.histogramRewarmMs} ms of unmeasured sets, then the median of ${p.histogramSetsPerRun}`, { key: 'ours.histogram', metric: 'wallMs', label: 'scattergather' }),
    histogramFigure('histogramSetShared', `4c. the same set on the bench's shared cluster, ${afterOthers}`, { key: 'ours.histogram.shared', metric: 'wallMs', label: 'scattergather, shared cluster' }),
    histogramFigure('histogramSetCold', `4b. the same set on a fresh localCluster, right after its first ${p.roundTrips} round trips`, { key: 'ours.freshUses', metric: 'histogramMs', label: 'scattergather, cold' }),
    {
      id: 'largeArgs',
      title: `5. argument bandwidth: ${p.bulkTasks} tasks × ${p.bulkMiB} MiB Float64Array → sum, function sent by value`,
      unit: 'MiB/s',
      better: 'higher',
      ours: { key: 'ours.largeArgs', metric: 'mibPerSec', label: 'scattergather' },
      baselines: [
        ...transports.map((t) => zmq('bulk', t, 'mibPerSec', `raw DEALER→ROUTER ${p.bulkMiB} MiB buffers ×${p.bulkBaselineMessages}, 8 B acks`)),
        // A server on another machine is reached over tcp with the cluster key (CURVE): the ceiling there.
        zmq('bulkCurve', 'tcp', 'mibPerSec', `the same with CURVE, as a controller's hop to a server on another machine`),
      ],
    },
    {
      id: 'sleepScaling',
      title: `6. sleep scaling: ${p.sleepTasks.toLocaleString('en-US')} × sleep(${p.sleepMs} ms) on one server of ${p.sleepExecutors} executors, % of ideal`,
      unit: '%',
      better: 'higher',
      ours: { key: 'ours.sleepScaling', metric: 'efficiencyPct', label: 'scattergather' },
      baselines: transports.map((t) => zmq('sleepScaling', t, 'efficiencyPct', `raw: ${p.sleepExecutors} requests in flight to a peer that answers each after its sleep`)),
    },
    {
      id: 'clusterReady',
      title: `7. start-up: localCluster({ servers: 1, procs: ${p.executors} }) to ready()`,
      unit: 'ms',
      better: 'lower',
      ours: { key: 'ours.fresh', metric: 'readyMs', label: 'scattergather' },
      baselines: [zmq('processStart', 'ipc', 'readyMs', 'raw: one Node process loading zeromq and binding 5 sockets, spawn to its ready line')],
    },
    {
      id: 'dashboardCost',
      title: `8. the dashboard's cost: ${p.dashboardTasks.toLocaleString('en-US')} × echo(i), tasks/s with its page open in headless Chromium`,
      unit: '/s',
      better: 'higher',
      ours: { key: 'ours.noop.dashboardOpen', metric: 'tasksPerSec', label: 'scattergather, dashboard open' },
      baselines: [{ key: 'ours.noop.dashboardClosed', metric: 'tasksPerSec', label: 'the same set, no page open' }],
    },
    {
      id: 'dashboardBrowserCpu',
      title: `8b. CPU the open page's browser took meanwhile (all its processes), ms per second`,
      unit: 'ms/s',
      better: 'lower',
      ours: { key: 'ours.noop.dashboardOpen', metric: 'browserCpuMsPerSec', label: 'headless Chromium showing the dashboard' },
      baselines: [],
    },
    ...keptMergeFigures(p),
  ];
}
