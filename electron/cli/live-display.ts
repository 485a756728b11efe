/** The terminal progress display: one line per phase, redrawn in place. */
import { formatDuration } from '../../shared/duration';
import type { RunEvent } from '../../shared/events';
import { addStepUsage, emptyTotals } from '../../shared/usage';
import { formatCost, formatTokenUsage } from '../../shared/usage-format';
import type { ProgressSink } from './progress';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const MARK: Record<string, string> = { waiting: '\x1b[35m⏸\x1b[0m', pending: '\x1b[2m·\x1b[0m', succeeded: '\x1b[32m✓\x1b[0m', reused: '\x1b[36m↺\x1b[0m', failed: '\x1b[31m✗\x1b[0m', interrupted: '\x1b[33m■\x1b[0m', skipped: '\x1b[2m–\x1b[0m' };

interface Row {
  id: string;
  state: string;
  startedAt?: number;
  took?: number;
  note?: string;
}

export class LiveDisplay implements ProgressSink {
  private rows: Row[] = [];
  private header = '';
  /** This attempt's model steps so far, shown in the header as they cost. */
  private readonly spent = emptyTotals();
  /** Explains the ↺ mark, once, under the header when phases are reused. */
  private legend = '';
  private drawn = 0;
  private frame = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly runId: () => string | undefined,
  ) {
    this.timer = setInterval(() => this.draw(), 100);
    this.timer.unref();
  }

  handle(event: RunEvent): void {
    if (event.runId !== this.runId()) return;
    if (event.type === 'run.started') {
      this.header = `${event.flowName} · run ${event.runId} · attempt ${event.attempt}`;
      const reused = new Set(event.reused);
      this.rows = event.phases.map((p) => ({ id: p.id, state: reused.has(p.id) ? 'reused' : 'pending' }));
      this.legend = reused.size > 0 ? `\x1b[2m  ${MARK.reused}\x1b[2m reused: completed in an earlier attempt, not run again\x1b[0m` : '';
    } else if (event.type === 'phase.started') {
      this.update(event.phaseId, { state: 'running', startedAt: Date.now(), note: event.attempt > 1 ? `try ${event.attempt}` : '' });
    } else if (event.type === 'phase.finished') {
      const note = event.retryInMs !== undefined ? `retrying in ${formatDuration(event.retryInMs)}: ${event.error?.message ?? ''}` : (event.error?.message ?? '');
      this.update(event.phaseId, { state: event.retryInMs !== undefined ? 'running' : event.status, took: event.durationMs, note });
    } else if (event.type === 'phase.waiting') {
      this.update(event.phaseId, { state: 'waiting', note: event.reason === 'approval' ? 'waiting for approval' : `waiting for budget${event.message ? `: ${event.message}` : ''}` });
    } else if (event.type === 'approval.decided') {
      this.update(event.phaseId, { note: `${event.decision} by ${event.by}` });
    } else if (event.type === 'transcript.appended') {
      if (!event.usage) return;
      addStepUsage(this.spent, event.usage);
    } else if (event.type === 'store.failed') {
      this.note(`\x1b[33mwarning:\x1b[0m ${event.message}`);
      return;
    } else if (event.type === 'store.recovered') {
      this.note(event.message);
      return;
    } else return;
    this.draw();
  }

  note(message: string): void {
    this.clear();
    this.out.write(`${message}\n`);
    this.draw();
  }

  stop(): void {
    clearInterval(this.timer);
    this.draw();
  }

  private update(id: string, patch: Partial<Row>): void {
    const row = this.rows.find((r) => r.id === id);
    if (row) Object.assign(row, patch);
  }

  private clear(): void {
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A\x1b[0J`);
    this.drawn = 0;
  }

  private draw(): void {
    if (this.rows.length === 0) return;
    this.frame = (this.frame + 1) % SPINNER.length;
    const width = Math.max(20, (this.out.columns || 80) - 1);
    const max = Math.max(4, (this.out.rows || 24) - 4);
    const visible = this.rows.length <= max ? this.rows : this.focus(max);
    const idWidth = Math.min(28, Math.max(...visible.map((r) => r.id.length)));
    const cost = this.spent.steps > 0 ? ` · ${formatTokenUsage(this.spent)} · ${formatCost(this.spent)}` : '';
    const lines = [`\x1b[1m${this.header}\x1b[0m${cost}`, ...(this.legend ? [this.legend] : []), ...visible.map((r) => this.line(r, idWidth, width))];
    const hidden = this.rows.length - visible.length;
    if (hidden > 0) lines.push(`\x1b[2m  … ${hidden} more: ${this.counts()}\x1b[0m`);
    this.clear();
    this.out.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }

  private line(r: Row, idWidth: number, width: number): string {
    const mark = r.state === 'running' ? `\x1b[34m${SPINNER[this.frame]}\x1b[0m` : (MARK[r.state] ?? ' ');
    const time = r.state === 'running' && r.startedAt ? formatDuration(Date.now() - r.startedAt) : r.took !== undefined && r.state !== 'skipped' ? formatDuration(r.took) : '';
    const text = `  ${mark} ${r.id.padEnd(idWidth)} ${time.padStart(7)}  ${r.note ?? ''}`;
    return text.length > width + 20 ? `${text.slice(0, width + 19)}…` : text;
  }

  /** With more phases than rows: running and failed phases first, then the rest in order. */
  private focus(max: number): Row[] {
    const important = this.rows.filter((r) => r.state === 'running' || r.state === 'failed');
    const rest = this.rows.filter((r) => !important.includes(r));
    return [...important, ...rest].slice(0, max);
  }

  private counts(): string {
    const counts = new Map<string, number>();
    for (const r of this.rows) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
    return [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
  }
}
