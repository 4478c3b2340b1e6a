/**
 * `npm run bench`: scattergather's figures beside raw ZeroMQ baselines measured
 * in the same run on the same transports. See figures.ts for what is
 * measured, runner.ts for how runs are scheduled, report.ts for the table.
 */
import { resolve } from 'node:path';
import { curveKeyPair } from 'zeromq';
import type { BenchCase } from './bench-case.js';
import { inProcessHistogram } from './baseline/in-process-histogram.js';
import type { Transport } from './baseline/peer-endpoints.js';
import { PeerProcess } from './baseline/peer-process.js';
import { zmqBulk } from './baseline/zmq-bulk.js';
import { zmqEchoPipeline } from './baseline/zmq-echo-pipeline.js';
import { zmqPushPull } from './baseline/zmq-push-pull.js';
import { processStart } from './baseline/process-start.js';
import { zmqRoundTrip } from './baseline/zmq-round-trip.js';
import { zmqSleepScaling } from './baseline/zmq-sleep-scaling.js';
import { closeBenchCluster, startBenchCluster, type BenchCluster } from './cases/bench-cluster.js';
import { freshCluster } from './cases/fresh-cluster.js';
import { withDashboardOpen } from './cases/dashboard-open.js';
import { freshUses } from './cases/fresh-uses.js';
import { histogramSet } from './cases/histogram-set.js';
import { keptMerge } from './cases/kept-merge.js';
import { largeArgs } from './cases/large-args.js';
import { noopThroughput } from './cases/noop-throughput.js';
import { roundTrip } from './cases/round-trip.js';
import { sleepScaling } from './cases/sleep-scaling.js';
import { figureSpecs, type FigureParams } from './figures.js';
import { currentLoad, machineFacts } from './machine.js';
import { commandLine, parseOptions, USAGE } from './options.js';
import { formatReport } from './report.js';
import { collectFigures, type BenchResults } from './results.js';
import { writeResultsFile } from './results-file.js';
import { runInterleaved, type CaseOutcome } from './runner.js';
import { formatScaleDetails, formatScaleLine, runScale } from './scale/run-scale.js';
import { formatSoak, memoryFlat, soak, type SoakReport } from './soak/soak.js';

const TRANSPORTS: Transport[] = ['tcp', 'ipc'];
const SERVERS = 1;
const PROCS = 2;

const PARAMS: FigureParams = {
  noopTasks: 10_000,
  dashboardTasks: 100_000,
  roundTrips: 500,
  roundTripWarmUp: 3000,
  roundTripRewarmMs: 600,
  histogramTasks: 100,
  histogramSize: 1000,
  histogramWarmUpSets: 300,
  histogramRewarmMs: 600,
  histogramSetsPerRun: 21,
  bulkTasks: 200,
  bulkMiB: 1,
  bulkBaselineMessages: 256,
  pushPullMessages: 100_000,
  smallBytes: 32,
  executors: SERVERS * PROCS,
  sleepTasks: 2000,
  sleepMs: 10,
  sleepExecutors: 16,
};

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** The tcp peer's CURVE server key: a controller reaches a server on another machine with CURVE, so one baseline does too. */
const curveServer = curveKeyPair();

function buildCases(cluster: BenchCluster, peers: Map<Transport, PeerProcess>): BenchCase[] {
  const p = PARAMS;
  const { sg } = cluster;
  const perTransport = (make: (peer: PeerProcess) => BenchCase): BenchCase[] => TRANSPORTS.map((t) => make(peers.get(t) as PeerProcess));
  // Grouped by figure, so that within a round each of ours runs right beside its baselines.
  return [
    noopThroughput(sg, { tasks: p.noopTasks, timeoutMs: 60_000 }),
    ...perTransport((peer) => zmqPushPull(peer, { messages: p.pushPullMessages, bytes: p.smallBytes })),
    ...perTransport((peer) => zmqEchoPipeline(peer, { messages: p.noopTasks, bytes: p.smallBytes })),
    freshCluster({ servers: SERVERS, procs: PROCS, tasks: p.noopTasks, timeoutMs: 60_000 }),
    processStart('ipc'),
    // On a cluster of its own, and on the shared one right after the other cases' work (which V8 re-optimizes after).
    roundTrip('ours.roundTrip', { own: { servers: SERVERS, procs: PROCS } }, { count: p.roundTrips, warmUp: p.roundTripWarmUp, rewarmMs: p.roundTripRewarmMs, timeoutMs: 10_000 }),
    roundTrip('ours.roundTrip.shared', { shared: sg }, { count: p.roundTrips, warmUp: p.roundTripWarmUp, rewarmMs: 0, timeoutMs: 10_000 }),
    ...perTransport((peer) => zmqRoundTrip(peer, { count: p.roundTrips, bytes: p.smallBytes })),
    histogramSet('ours.histogram', { own: { servers: SERVERS, procs: PROCS } }, { tasks: p.histogramTasks, size: p.histogramSize, timeoutMs: 60_000, warmUpSets: p.histogramWarmUpSets, rewarmMs: p.histogramRewarmMs, setsPerRun: p.histogramSetsPerRun }),
    histogramSet('ours.histogram.shared', { shared: sg }, { tasks: p.histogramTasks, size: p.histogramSize, timeoutMs: 60_000, warmUpSets: p.histogramWarmUpSets, rewarmMs: 0, setsPerRun: 1 }),
    inProcessHistogram({ tasks: p.histogramTasks, size: p.histogramSize, setsPerRun: p.histogramSetsPerRun }),
    freshUses({ servers: SERVERS, procs: PROCS, roundTrips: p.roundTrips, histogram: { tasks: p.histogramTasks, size: p.histogramSize, timeoutMs: 60_000 } }),
    ...keptMerge(sg, { tasks: p.histogramTasks, size: p.histogramSize, timeoutMs: 60_000 }),
    largeArgs(sg, { tasks: p.bulkTasks, mib: p.bulkMiB, timeoutMs: 60_000 }),
    ...perTransport((peer) => zmqBulk(peer, { messages: p.bulkBaselineMessages, mib: p.bulkMiB })),
    zmqBulk(peers.get('tcp') as PeerProcess, { messages: p.bulkBaselineMessages, mib: p.bulkMiB, curveServerKey: curveServer.publicKey }),
    sleepScaling({ tasks: p.sleepTasks, ms: p.sleepMs, executors: p.sleepExecutors, timeoutMs: 60_000 }),
    ...perTransport((peer) => zmqSleepScaling(peer, { tasks: p.sleepTasks, ms: p.sleepMs, concurrency: p.sleepExecutors })),
    withDashboardOpen(noopThroughput(sg, { tasks: p.dashboardTasks, timeoutMs: 60_000 }), sg, 'ours.noop.dashboardOpen'),
    noopThroughput(sg, { tasks: p.dashboardTasks, timeoutMs: 60_000, key: 'ours.noop.dashboardClosed' }),
  ];
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const deadline = setTimeout(() => {
    log(`bench: still running after ${options.deadlineMs / 1000} s; giving up (child processes exit with us)`);
    process.exit(3);
  }, options.deadlineMs);
  deadline.unref();

  if (options.scale) {
    const scale = await runScale(options.out, log);
    console.log(formatScaleLine(scale));
    console.log(formatScaleDetails(scale));
    return 0;
  }

  const startedAt = new Date();
  const machine = machineFacts(resolve(__dirname, '..', '..'));
  log(`bench: ${machine.cores} cores, node ${machine.node}, ${options.runs} runs; progress on stderr, the table on stdout`);

  const peers = new Map<Transport, PeerProcess>();
  let cluster: BenchCluster | undefined;
  let outcomes: CaseOutcome[] = [];
  let killedLeftovers: number[] = [];
  let setupError: string | undefined;
  try {
    for (const t of TRANSPORTS) {
      log(`  starting the ${t} baseline peer`);
      peers.set(t, await PeerProcess.start(t, t === 'tcp' ? curveServer.secretKey : undefined));
    }
    log(`  starting localCluster({ servers: ${SERVERS}, procs: ${PROCS} })`);
    cluster = await startBenchCluster({ servers: SERVERS, procs: PROCS });
    log(`  ready: ${cluster.servers} server, ${cluster.executors} executors`);
    outcomes = await runInterleaved(buildCases(cluster, peers), { runs: options.runs, setupTimeoutMs: 90_000, runTimeoutMs: 90_000, log });
  } catch (error) {
    setupError = (error as Error).message;
    log(`bench: ${setupError}`);
  } finally {
    if (cluster !== undefined) {
      log('  closing the cluster');
      killedLeftovers = await closeBenchCluster(cluster);
    }
    for (const peer of peers.values()) await peer.stop();
  }

  let soakReport: SoakReport | undefined;
  if (options.soakTasks > 0 && setupError === undefined) {
    log(`  soak: ${options.soakTasks} tasks, killing an executor every second`);
    try {
      soakReport = await soak({ tasks: options.soakTasks, setSize: 20_000, killEveryMs: 1000, taskMs: 0.2, timeoutMs: 180_000, log });
    } catch (error) {
      setupError = `the soak failed: ${(error as Error).message}`;
    }
  }

  machine.loadAverage.end = currentLoad();
  const figures = collectFigures(figureSpecs(PARAMS), outcomes);
  const soakClean = soakReport === undefined || (soakReport.lost === 0 && soakReport.duplicated === 0 && memoryFlat(soakReport.controllerMiB) && memoryFlat(soakReport.serverMiB));
  const ok = setupError === undefined && soakClean && killedLeftovers.length === 0 && outcomes.every((o) => o.error === undefined);
  const results: BenchResults = {
    command: commandLine(argv),
    startedAt: startedAt.toISOString(),
    durationS: (Date.now() - startedAt.getTime()) / 1000,
    runs: options.runs,
    machine,
    params: { ...PARAMS, servers: SERVERS, procs: PROCS, transports: TRANSPORTS.join(',') },
    figures,
    killedLeftovers,
    ...(soakReport === undefined ? {} : { soak: soakReport }),
    ok,
  };
  console.log(formatReport(results));
  if (soakReport !== undefined) console.log(`\n${formatSoak(soakReport)}`);
  if (setupError !== undefined) console.log(`\nbench could not run: ${setupError}`);
  writeResultsFile(options.out, results);
  log(`bench: wrote ${options.out}`);
  return ok ? 0 : 1;
}

main().then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
