/**
 * tslab's Jupyter handler with magics: each cell is rewritten before tslab runs
 * it, and completion, inspection and is-complete checks know about magic lines.
 */
import { JupyterHandlerImpl } from 'tslab/dist/jupyter';
import type { Executor } from 'tslab/dist/executor';
import type { CellContext, IopubEmit, WriteDisplayData } from './cell-context.js';
import { blankMagics, tryRewriteCell } from './cell-rewriter.js';
import { completeMagic, magicHelp } from './completion.js';
import { KernelError } from './errors.js';
import { ExecuteQueue } from './execute-queue.js';
import { findOwn } from './find-own.js';
import type { MagicRuntime } from './magic-runtime.js';
import { baseExecuteImpl, executeImpl, executionCount, failedCount, overrideExecuteImpl, type ExecuteImpl } from './tslab-internals.js';

type Base = JupyterHandlerImpl;
type ExecuteRequest = Parameters<Base['handleExecute']>[0];
type WriteStream = Parameters<Base['handleExecute']>[1];
type ExecuteReply = Awaited<ReturnType<Base['handleExecute']>>;
type CompleteRequest = Parameters<Base['handleComplete']>[0];
type InspectRequest = Parameters<Base['handleInspect']>[0];
type IsCompleteRequest = Parameters<Base['handleIsComplete']>[0];

export class SgJupyterHandler extends JupyterHandlerImpl {
  private readonly emitters = new WeakMap<object, IopubEmit>();
  private context: CellContext | undefined;
  private readonly queue = new ExecuteQueue();
  /** Time spent reading and rewriting cells, for measurements. */
  rewriteMs = 0;

  constructor(
    private readonly sgExecutor: Executor,
    private readonly runtime: MagicRuntime,
    private readonly onClose: () => void,
  ) {
    super(sgExecutor, false);
    const base = baseExecuteImpl();
    overrideExecuteImpl(this, (req, writeStream, writeDisplayData) => this.runCell(base, req, writeStream, writeDisplayData as WriteDisplayData));
  }

  /** Runs requests in order; replaces tslab's queue, whose 200 ms abort window ignored stop_on_error. */
  override async handleExecute(req: ExecuteRequest, writeStream: WriteStream, writeDisplayData: Parameters<Base['handleExecute']>[2]): Promise<ExecuteReply> {
    let count: number | undefined;
    const status = await this.queue.run(req.stop_on_error !== false, async () => {
      try {
        count = await executeImpl(this)(req, writeStream, writeDisplayData);
        return true;
      } catch (e) {
        count = failedCount(e);
        if (count === undefined) console.error('unexpected error:', e);
        return false;
      }
    });
    // An aborted request has no execution count, as with tslab.
    return (count === undefined ? { status } : { status, execution_count: count }) as ExecuteReply;
  }

  /** The cell being run. */
  current(): CellContext | undefined {
    return this.context;
  }

  /** Lets the cell of request `content` send any IOPub message (see SgZmqServer). */
  attachEmitter(content: object, emit: IopubEmit): void {
    this.emitters.set(content, emit);
  }

  private async runCell(base: ExecuteImpl, req: { code: string }, writeStream: unknown, writeDisplayData: WriteDisplayData): Promise<unknown> {
    const started = performance.now();
    const count = executionCount(this) + 1;
    const ctx: CellContext = { writeDisplayData, emit: this.emitters.get(req), executionCount: count, columnMaps: [] };
    this.context = ctx;
    ctx.emit?.('execute_input', { code: req.code, execution_count: count });
    this.runtime.progress.flushOrphans();
    const rewritten = tryRewriteCell(req.code, { isLocalFunction: (name) => typeof findOwn(this.sgExecutor.locals, name) === 'function' });
    let code: string;
    if (rewritten instanceof KernelError) code = `sgKernel.fail(${this.runtime.registerFailure(rewritten)});`;
    else {
      code = rewritten.code;
      ctx.columnMaps = rewritten.columnMaps;
    }
    this.rewriteMs += performance.now() - started;
    try {
      const done = await base.call(this, { ...req, code }, writeStream, writeDisplayData);
      await this.declareRemoteFunctions();
      return done;
    } finally {
      if (this.context === ctx) this.context = undefined;
    }
  }

  /** After a `%%remote` cell: its functions become typed values of the notebook (see RemoteDeclarations). */
  private async declareRemoteFunctions(): Promise<void> {
    const declarations = this.runtime.declarations.take();
    if (declarations === undefined) return;
    if (!(await this.sgExecutor.execute(declarations.code))) {
      console.error('the functions of this %%remote cell run by name (%scatter NAME, addJob(set, { fn: \'NAME\' })), but later cells cannot use them as typed values');
      return;
    }
    Object.assign(this.sgExecutor.locals, declarations.values);
  }

  override handleComplete(req: CompleteRequest): ReturnType<Base['handleComplete']> {
    const magic = completeMagic(req.code, req.cursor_pos, {
      functions: () => this.functionCandidates(),
      handles: () => this.handleCandidates(),
    });
    if (magic) return { cursor_start: magic.start, cursor_end: magic.end, matches: magic.matches, metadata: {}, status: 'ok' };
    return super.handleComplete({ ...req, code: blankMagics(req.code) });
  }

  override handleInspect(req: InspectRequest): ReturnType<Base['handleInspect']> {
    const help = magicHelp(req.code, req.cursor_pos);
    if (help) return { status: 'ok', found: true, data: { 'text/plain': help }, metadata: {} };
    return super.handleInspect({ ...req, code: blankMagics(req.code) });
  }

  override handleIsComplete(req: IsCompleteRequest): ReturnType<Base['handleIsComplete']> {
    return super.handleIsComplete({ ...req, code: blankMagics(req.code) });
  }

  override close(): void {
    this.onClose();
    super.close();
  }

  private functionCandidates(): string[] {
    const locals = Object.keys(this.sgExecutor.locals).filter((k) => typeof this.sgExecutor.locals[k] === 'function');
    return [...new Set([...this.runtime.functionNames(), ...locals])];
  }

  private handleCandidates(): string[] {
    const ids = this.runtime.setHandles().map((h) => String(h.id)).reverse();
    const vars = Object.keys(this.sgExecutor.locals).filter((k) => {
      const v = this.sgExecutor.locals[k] as { id?: unknown; size?: unknown; fn?: unknown } | null;
      return v !== null && typeof v === 'object' && typeof v.id === 'number' && typeof v.size === 'number' && 'fn' in v;
    });
    return [...ids, ...vars];
  }
}
