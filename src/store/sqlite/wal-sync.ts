// Makes commits durable off the event loop. The connection runs with synchronous=NORMAL, so a
// commit only write()s its frames to the WAL; this then fdatasyncs the WAL file on libuv's thread
// pool, and writers are acknowledged (and watchers told) only once that returns. The guarantee is
// the one synchronous=FULL gives, since WAL recovery keeps every frame up to the last synced
// commit, but the loop keeps serving requests while the disk works, and every commit made during
// one fdatasync shares the next.
import { close, fdatasync, open } from 'node:fs';

export class WalSync {
  private fd: number | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private failure: Error | undefined;

  /** `walPath` is the database's `-wal` file; null for an in-memory database (nothing to sync). */
  constructor(private readonly walPath: string | null) {}

  /** Resolves once everything committed before the call is on disk. */
  sync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.walPath) return Promise.resolve();
    if (!this.running) return (this.running = this.run());
    // The fdatasync under way may have started before the caller's commit: it needs the next one,
    // which every caller arriving meanwhile shares.
    this.queued ??= this.running.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  /** Waits for syncs under way, then lets go of the file. */
  async close(): Promise<void> {
    await Promise.allSettled([this.running, this.queued]);
    if (this.fd !== undefined) await new Promise<void>((r) => close(this.fd!, () => r()));
    this.fd = undefined;
  }

  private startQueued(): Promise<void> {
    this.queued = undefined;
    return (this.running = this.run());
  }

  private async run(): Promise<void> {
    try {
      this.fd ??= await new Promise<number>((resolve, reject) => open(this.walPath!, 'r', (err, fd) => (err ? reject(err) : resolve(fd))));
      await new Promise<void>((resolve, reject) => fdatasync(this.fd!, (err) => (err ? reject(err) : resolve())));
    } catch (err) {
      // After a failed fdatasync the kernel may have dropped the dirty pages: nothing committed
      // since the last good sync can be promised durable again, so the store stops taking writes.
      this.failure = new Error(`syncing ${this.walPath} failed: ${(err as Error).message}`);
      throw this.failure;
    } finally {
      this.running = undefined;
    }
  }
}
