// In-process watch for stores that see every change themselves (FileStore): a bounded history so
// watch(fromRevision) can replay what it missed, and per-subscriber ordered, asynchronous delivery.
import { RevisionCompactedError, type RelayChange } from './relay-store';

interface Subscriber {
  fromRevision: number;
  onChange: (change: RelayChange) => void;
  queue: RelayChange[];
  scheduled: boolean;
  active: boolean;
}

export class WatchHub {
  private history: RelayChange[] = [];
  /** Changes with a revision <= this are not in `history` (before open, or trimmed). */
  private compactedThrough: number;
  private readonly subscribers = new Set<Subscriber>();

  constructor(
    startRevision: number,
    private readonly historyLimit: number,
  ) {
    this.compactedThrough = startRevision;
  }

  /** Records committed changes (in revision order) and queues them for every subscriber. */
  publish(changes: readonly RelayChange[]): void {
    this.history.push(...changes);
    this.trim();
    for (const subscriber of this.subscribers) {
      this.enqueue(
        subscriber,
        changes.filter((change) => change.revision > subscriber.fromRevision),
      );
    }
  }

  watch(fromRevision: number, onChange: (change: RelayChange) => void): () => void {
    if (fromRevision < this.compactedThrough) throw new RevisionCompactedError(fromRevision, this.compactedThrough);
    const subscriber: Subscriber = { fromRevision, onChange, queue: [], scheduled: false, active: true };
    this.subscribers.add(subscriber);
    this.enqueue(
      subscriber,
      this.history.filter((change) => change.revision > fromRevision),
    );
    return () => this.stop(subscriber);
  }

  close(): void {
    for (const subscriber of this.subscribers) this.stop(subscriber);
  }

  private stop(subscriber: Subscriber): void {
    subscriber.active = false;
    subscriber.queue = [];
    this.subscribers.delete(subscriber);
  }

  /** Drops whole revisions (an apply() shares one) until the history fits its limit. */
  private trim(): void {
    let drop = 0;
    while (this.history.length - drop > this.historyLimit) {
      const revision = this.history[drop].revision;
      while (drop < this.history.length && this.history[drop].revision === revision) drop++;
      this.compactedThrough = revision;
    }
    if (drop > 0) this.history = this.history.slice(drop);
  }

  private enqueue(subscriber: Subscriber, changes: RelayChange[]): void {
    if (changes.length === 0) return;
    subscriber.queue.push(...changes.map((change) => structuredClone(change)));
    if (subscriber.scheduled) return;
    subscriber.scheduled = true;
    queueMicrotask(() => this.deliver(subscriber));
  }

  /**
   * Delivery never runs inside the mutation or watch() call. A throwing onChange is the caller's
   * bug: it is re-thrown asynchronously (uncaughtException) and later changes are still delivered.
   */
  private deliver(subscriber: Subscriber): void {
    subscriber.scheduled = false;
    const batch = subscriber.queue;
    subscriber.queue = [];
    for (const change of batch) {
      if (!subscriber.active) return;
      try {
        subscriber.onChange(change);
      } catch (error) {
        setImmediate(() => {
          throw error;
        });
      }
    }
  }
}
