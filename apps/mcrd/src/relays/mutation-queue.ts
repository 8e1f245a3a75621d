// Runs relay mutations one at a time, so the loop and conflict checks a write relies on still
// hold when the store commits it (no check-then-write race between concurrent requests).
export class MutationQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
