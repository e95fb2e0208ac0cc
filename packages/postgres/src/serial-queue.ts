/**
 * Runs asynchronous tasks one at a time, in the order they were queued. A
 * PostgreSQL connection answers one query at a time: statements an engine
 * call issues at once (a `Promise.all` of reads in one transaction) wait here
 * for each other instead of piling up in the driver, which node-postgres 8
 * warns about and node-postgres 9 refuses.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it has settled, whether it succeeded or failed. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  async settled(): Promise<void> {
    await this.tail;
  }
}
