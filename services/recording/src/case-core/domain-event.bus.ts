import type { CaseEvent, CaseEventOf, CaseEventType } from './case.events';

/**
 * When a subscriber runs: inside the transaction that raised the event (its work commits or rolls back with
 * the write), or once that transaction has committed (work that must not undo the write when it fails).
 */
export type DispatchPhase = 'in-transaction' | 'after-commit';

type Handler<Tx> = (event: CaseEvent, tx: Tx) => Promise<void>;

/**
 * The one in-process mechanism for effects that cross feature folders. The aggregate raises events; whoever
 * saved it publishes them with the open transaction; subscribers registered by the features above react.
 * `Tx` is the persistence adapter's transaction, opaque to the core.
 */
export class DomainEventBus<Tx extends object = object> {
  private readonly handlers = new Map<CaseEventType, Array<{ phase: DispatchPhase; handle: Handler<Tx> }>>();
  private readonly afterCommit = new WeakMap<Tx, Array<() => Promise<void>>>();

  subscribe<T extends CaseEventType>(type: T, phase: DispatchPhase, handle: (event: CaseEventOf<T>, tx: Tx) => Promise<void>): void {
    const list = this.handlers.get(type) ?? [];
    list.push({ phase, handle: handle as Handler<Tx> });
    this.handlers.set(type, list);
  }

  /** Runs the in-transaction subscribers now, in order; queues the after-commit ones on `tx`. */
  async publish(tx: Tx, events: readonly CaseEvent[]): Promise<void> {
    for (const event of events) {
      for (const { phase, handle } of this.handlers.get(event.type) ?? []) {
        if (phase === 'in-transaction') await handle(event, tx);
        else {
          const queue = this.afterCommit.get(tx) ?? [];
          queue.push(() => handle(event, tx));
          this.afterCommit.set(tx, queue);
        }
      }
    }
  }

  /** Call once `tx` has committed: runs what was queued on it, in order. */
  async committed(tx: Tx): Promise<void> {
    const queue = this.afterCommit.get(tx) ?? [];
    this.afterCommit.delete(tx);
    for (const run of queue) await run();
  }
}
