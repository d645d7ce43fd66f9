// One budget for every write the simulated nodes make, so a thousand nodes and ten thousand pods
// pace themselves instead of flooding the API server they share with everything else.
import { TokenBucket, sleep } from '../../client/index.js';

export class WriteGate {
  private readonly bucket: TokenBucket;

  constructor(qps: number, burst: number) {
    this.bucket = new TokenBucket(Math.max(0.1, qps), Math.max(1, burst));
  }

  /** Waits for this write's turn; resolves early when `signal` aborts. */
  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.bucket.reserve();
    if (wait > 0) await sleep(wait, signal);
  }
}
