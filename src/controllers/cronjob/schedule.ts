// When a CronJob should run: the most recent scheduled time not yet acted on, how many were
// missed, and when to look again. Times are ms since the epoch.
import { parseCronSchedule, type CronSchedule } from '../../api/batch/v1/cron.js';
import type { CronJob } from './types.js';

/** The controller looks again this long after the next scheduled time, to be safely past it. */
export const NEXT_SCHEDULE_DELTA_MS = 100;
/** Beyond this many missed times the controller warns (it still starts only the latest). */
export const TOO_MANY_MISSED = 100;

export type Missed = 'none' | 'few' | 'many';

export class ScheduleError extends Error {}

/**
 * The schedule as the controller parses it: the schedule's own TZ=/CRON_TZ= prefix when it has
 * one, else spec.timeZone (UTC when unset).
 */
export function parseSchedule(cj: CronJob): CronSchedule {
  const spec = cj.spec.schedule ?? '';
  return spec.includes('TZ') ? parseCronSchedule(spec) : parseCronSchedule(spec, cj.spec.timeZone ?? undefined);
}

const next = (s: CronSchedule, t: number): number | undefined => s.next(new Date(t))?.getTime();

export interface MostRecent {
  /** The time scheduling counts from: the last schedule, else the CronJob's creation. */
  earliest: number;
  /** The latest scheduled time in (earliest, now], if any. */
  mostRecent?: number;
  missed: Missed;
}

/**
 * The latest scheduled time since the last one acted on (or since creation). With
 * `withStartingDeadline`, times older than startingDeadlineSeconds no longer count. The number
 * of missed times is estimated from the interval between two activations, as Kubernetes does,
 * so a controller that was down for years does not walk every minute since.
 */
export function mostRecentScheduleTime(cj: CronJob, nowMs: number, sched: CronSchedule, withStartingDeadline: boolean): MostRecent {
  let earliest = Date.parse(cj.metadata.creationTimestamp ?? '');
  if (Number.isNaN(earliest)) earliest = nowMs;
  const last = cj.status?.lastScheduleTime ? Date.parse(cj.status.lastScheduleTime) : NaN;
  if (!Number.isNaN(last)) earliest = last;
  const sds = cj.spec.startingDeadlineSeconds;
  if (withStartingDeadline && sds != null) earliest = Math.max(earliest, nowMs - sds * 1000);

  const t1 = next(sched, earliest);
  const t2 = t1 === undefined ? undefined : next(sched, t1);
  if (t1 !== undefined && nowMs < t1) return { earliest, missed: 'none' };
  if (t2 !== undefined && nowMs < t2) return { earliest, mostRecent: t1, missed: 'none' };
  // A schedule that never fires again ("59 23 31 2 *") has no second activation.
  const intervalSec = t1 === undefined || t2 === undefined ? 0 : Math.round((t2 - t1) / 1000);
  if (intervalSec < 1) throw new ScheduleError('time difference between two schedules is less than 1 second');
  const elapsedSec = Math.floor((nowMs - t1!) / 1000);
  const missedCount = Math.floor(elapsedSec / intervalSec) + 1;
  // Start one interval before the estimated last activation and let the schedule find it; this
  // keeps @every and irregular schedules ("30 6-16/4 * * 1-5") exact.
  const from = t1! + (missedCount - 2) * intervalSec * 1000;
  let mostRecent: number | undefined;
  for (let t = next(sched, from); t !== undefined && t <= nowMs; t = next(sched, t)) mostRecent = t;
  const missed: Missed = missedCount > TOO_MANY_MISSED ? 'many' : missedCount > 0 ? 'few' : 'none';
  return { earliest, mostRecent, missed };
}

/** Ms from `now` until the controller should look at the CronJob again; undefined: never. */
export function nextScheduleDelay(cj: CronJob, nowMs: number, sched: CronSchedule): number | undefined {
  let from: number;
  try {
    const r = mostRecentScheduleTime(cj, nowMs, sched, false);
    from = r.mostRecent ?? r.earliest;
  } catch {
    // Still come back at some point: aim for the next slot from now.
    from = nowMs;
  }
  const t = next(sched, from);
  return t === undefined ? undefined : t + NEXT_SCHEDULE_DELTA_MS - nowMs;
}

/** `<cronjob>-<scheduled time in minutes since the epoch>`: one name per scheduled time. */
export function jobNameFor(cj: CronJob, scheduledMs: number): string {
  return `${cj.metadata.name}-${Math.floor(scheduledMs / 60_000)}`;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** RFC 3339 with the zone's offset at that moment (`Z` in UTC), as Go formats time.RFC3339. */
export function formatRFC3339(ms: number, timeZone?: string | null): string {
  const whole = Math.floor(ms / 1000) * 1000;
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') return new Date(whole).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    offsetFormatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(whole)).map((x) => [x.type, x.value]));
  const wallAsUTC = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second);
  const offsetMin = Math.round((wallAsUTC - whole) / 60_000);
  const wall = new Date(wallAsUTC).toISOString().slice(0, 19);
  if (offsetMin === 0) return `${wall}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Go's time.RFC1123Z in UTC, as the MissSchedule event words the missed time. */
export function formatRFC1123Z(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${two(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
