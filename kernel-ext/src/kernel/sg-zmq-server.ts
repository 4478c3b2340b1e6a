/** tslab's ZeroMQ server, letting each execute request send any IOPub message (execute_result, error). */
import { ZmqServer } from 'tslab/dist/jupyter';
import type { IopubEmit } from './cell-context.js';
import type { SgJupyterHandler } from './sg-handler.js';

type ZmqMessage = Parameters<ZmqServer['handleExecute']>[1];

export class SgZmqServer extends ZmqServer {
  constructor(
    private readonly sgHandler: SgJupyterHandler,
    configPath: string,
  ) {
    super(sgHandler, configPath);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override async handleExecute(sock: any, msg: ZmqMessage): Promise<void> {
    const emit: IopubEmit = (msgType, content) => {
      const out = msg.createReply();
      out.header.msg_type = msgType;
      out.content = content;
      out.signAndSend(this.connInfo.key, this.iopub);
    };
    this.sgHandler.attachEmitter(msg.content, emit);
    return super.handleExecute(sock, msg);
  }
}
