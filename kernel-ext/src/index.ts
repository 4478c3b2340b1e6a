export { spawnScatterGather, localCluster } from './client/connect.js';
export { sshCluster } from './client/launchers/ssh-cluster.js';
export { slurmCluster } from './client/launchers/slurm-cluster.js';
export { ScatterGather } from './client/scatter-gather.js';
export { RemoteError, type RemoteErrorOrigin } from './client/remote-error.js';
export { MapError, ScatterGatherError, WaitAbortedError } from './client/errors.js';
export { remoteFunction } from './client/remote-function.js';
export { Ref, registerCopyable, type Copyable, type CopyableClass, type ServerSpec } from '@scattergather/protocol';
export type * from './client/api-types.js';
