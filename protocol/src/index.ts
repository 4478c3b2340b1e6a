export { ProtocolError } from './errors.js';
export { Payload } from './payload.js';
export { PayloadList, PayloadListBuilder } from './payload-list.js';
export { encodeValue, appendValue, decodeValue, DEFAULT_BLOB_THRESHOLD } from './value/value-codec.js';
export { SHARED_DIR_PREFIX, removeSharedDir, type SharedArrayWriter } from './value/shared-arrays.js';
export { Ref, keptRefId, setOfRefId, topLevelRefs, replaceTopLevelRefs } from './value/ref.js';
export { peekValue, renameTopLevelRefs } from './value/ref-only.js';
export { registerCopyable, type Copyable, type CopyableClass } from './value/copyable-registry.js';
export { errorStateOf, errorFromState, type ErrorState } from './value/error-state.js';
export {
  PROTOCOL_VERSION, MESSAGE_SHAPES, CHANNELS, OUTPUT_INTERVAL_MS,
  type Message, type MessageType, type Channel, type ChannelType, type ChannelMessage, type MessageFields, type FnRef, type TaskItem, type ResultItem,
  type ClientResultItem, type TaskInputs, type RefSource, type OutputItem, type ClientOutputItem, type ExecutorInfo, type ServerReadyInfo,
} from './wire/messages.js';
export { encodeMessage, decodeMessage, type Decoded } from './wire/envelope.js';
export { SocketWriter } from './wire/socket-writer.js';
export { receiveLimit, DEFAULT_MAX_MESSAGE_BYTES } from './wire/receive-limit.js';
export { runMessageLoop, type MessageHandlers, type ChannelHandlers, type MessageLoopOptions } from './wire/message-loop.js';
export { DropLog, type WireLog } from './wire/wire-log.js';
export { RecordSplitter, recordLength } from './pipe/record-framing.js';
export { readPipeFrames, writePipeFrames } from './pipe/pipe-frames.js';
export { openFifoSocket, PipeLinkEnd, pipeLinkPaths, waitWritten } from './pipe/pipe-link.js';
export { onHandshakeFailure } from './transport/handshake-failures.js';
export { makePrivateDir, ipcDirectoryOf, removeIpcDirectoryOf, removePrivateDirOf, whyNotPrivate } from './transport/private-dir.js';
export { parseServerSpec, formatServerSpec, checkServerSpec, type ServerSpec } from './transport/server-spec.js';
export { BUILTIN_FUNCTIONS, type BuiltinFunction } from './builtin-functions.js';
export { RuntimeWindow, type WindowPolicy } from './flow/runtime-window.js';
export { FanIn } from './flow/fan-in.js';
export { OncePerTurn } from './flow/once-per-turn.js';
export {
  generateClusterKey, writeKeyFile, readKeyFile, readOrCreateKeyFile, formatClusterKey, parseClusterKey, curveServerOptions, curveClientOptions, z85Decode, type ClusterKey,
} from './transport/cluster-key.js';
export { defaultKeyPath, loadOrCreateDefaultKey } from './transport/default-key.js';
export { formatReadyLine, parseReadyLine } from './transport/ready-line.js';
export { onStopRequest } from './process/stop-requests.js';
export { keepCompiledCode } from './process/keep-compiled-code.js';
export { delayOptimizationInBursts } from './process/burst-optimization.js';
export { SMALL_V8_POOL } from './process/v8-pool.js';
export { readFirstStdinLine, type MissingLine } from './process/first-stdin-line.js';
export { openLogFile } from './log-file.js';
