/** What the kernel knows about the cell being run: where its outputs go. */
import type { ColumnMap } from './cell-rewriter.js';
import type { MimeBundle } from './html.js';

export interface DisplayData {
  data: MimeBundle;
  metadata: Record<string, string>;
  transient: { display_id?: string };
}

/** tslab's writer: `display_data`, or `update_display_data` when `update`. */
export type WriteDisplayData = (data: DisplayData, update: boolean) => void;

/** Sends any IOPub message (execute_input, execute_result, error) with this cell's request as parent. */
export type IopubEmit = (msgType: string, content: Record<string, unknown>) => void;

export interface CellContext {
  writeDisplayData: WriteDisplayData;
  emit: IopubEmit | undefined;
  executionCount: number;
  columnMaps: ColumnMap[];
  /** The set whose wait this cell is in, for the message an interrupt prints. */
  waitingFor?: number;
}

export function emitResult(ctx: CellContext | undefined, data: MimeBundle): void {
  if (!ctx) return;
  if (ctx.emit) ctx.emit('execute_result', { execution_count: ctx.executionCount, data, metadata: {} });
  else ctx.writeDisplayData({ data, metadata: {}, transient: {} }, false);
}

/** Text on the cell's stdout, as the cell's own prints are. */
export function emitStream(ctx: CellContext | undefined, text: string): void {
  if (ctx?.emit) ctx.emit('stream', { name: 'stdout', text });
  else process.stdout.write(text);
}

export function emitDisplay(ctx: CellContext | undefined, data: MimeBundle): void {
  ctx?.writeDisplayData({ data, metadata: {}, transient: {} }, false);
}
