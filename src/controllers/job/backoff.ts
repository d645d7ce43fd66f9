// The delay before a job re-creates pods after failures: 10 s after the first failure, doubling
// with each failure since the last success, at most 6 minutes. Records live in memory, keyed by
// job; they follow the pods the controller counts, so a restart only shortens one delay.
import { finishedTime, indexAbsoluteFailureCount } from './pods.js';
import type { Pod } from './types.js';

export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 6 * 60_000;

export interface BackoffRecord {
  key: string;
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

export interface BackoffDurations {
  baseMs: number;
  maxMs: number;
}

export class BackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  /** The record as it will be once the newly finished pods are counted. */
  next(key: string, newSucceeded: Pod[], newFailed: Pod[]): BackoffRecord {
    const old = this.records.get(key);
    const rec: BackoffRecord = { key, failuresAfterLastSuccess: old?.failuresAfterLastSuccess ?? 0, lastFailureTime: old?.lastFailureTime };
    const succeededAt = newSucceeded.map(finishedTime).sort((a, b) => a - b);
    const failedAt = newFailed.map(finishedTime).sort((a, b) => a - b);
    if (succeededAt.length === 0) {
      if (failedAt.length === 0) return rec;
      rec.failuresAfterLastSuccess += failedAt.length;
      rec.lastFailureTime = failedAt[failedAt.length - 1];
      return rec;
    }
    // A success resets the count; only failures after the last success still count.
    rec.failuresAfterLastSuccess = 0;
    rec.lastFailureTime = undefined;
    const lastSuccess = succeededAt[succeededAt.length - 1];
    for (let i = failedAt.length - 1; i >= 0 && failedAt[i] > lastSuccess; i--) {
      rec.lastFailureTime ??= failedAt[i];
      rec.failuresAfterLastSuccess++;
    }
    return rec;
  }

  save(rec: BackoffRecord): void {
    this.records.set(rec.key, { ...rec });
  }

  remove(key: string): void {
    this.records.delete(key);
  }

  get(key: string): BackoffRecord | undefined {
    return this.records.get(key);
  }
}

/** How long to wait after `failures` consecutive failures, the last at `lastFailure`. */
export function remainingForFailures(nowMs: number, d: BackoffDurations, failures: number, lastFailure: number | undefined): number {
  if (failures <= 0 || lastFailure === undefined) return 0;
  let delay = d.baseMs;
  for (let i = 1; i < failures; i++) {
    delay *= 2;
    if (delay >= d.maxMs) {
      delay = d.maxMs;
      break;
    }
  }
  const elapsed = nowMs - lastFailure;
  return delay < elapsed ? 0 : delay - elapsed;
}

export function remainingForRecord(nowMs: number, d: BackoffDurations, rec: BackoffRecord): number {
  return remainingForFailures(nowMs, d, rec.failuresAfterLastSuccess, rec.lastFailureTime);
}

/** The wait before an index is retried, from its last failed pod (backoffLimitPerIndex). */
export function remainingForIndex(nowMs: number, d: BackoffDurations, lastFailedPod: Pod | undefined): number {
  if (!lastFailedPod) return 0;
  return remainingForFailures(nowMs, d, indexAbsoluteFailureCount(lastFailedPod) + 1, finishedTime(lastFailedPod));
}
