// CronJob schedules: the standard five cron fields (minute hour day-of-month month day-of-week),
// the @yearly/@monthly/@weekly/@daily/@midnight/@hourly descriptors and `@every <duration>`,
// parsed with the rules and error messages of the cron library Kubernetes uses (robfig/cron v3
// ParseStandard), so `kubectl apply` of a bad schedule fails with the same words.
import { parseDurationNanos } from '../../../machinery/duration.js';

interface Bounds { min: number; max: number; names?: Record<string, number> }

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1, max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

/** A parsed schedule; `next` gives the first activation strictly after a time. */
export interface CronSchedule {
  next(after: Date): Date | undefined;
}

/** The five fields as sets, plus whether day-of-month / day-of-week were `*` (they then AND, else OR). */
interface FieldSets {
  minute: Set<number>; hour: Set<number>; dom: Set<number>; month: Set<number>; dow: Set<number>;
  domStar: boolean; dowStar: boolean;
}

export class CronError extends Error {}

function mustParseInt(expr: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr)) throw new CronError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = parseInt(expr, 10);
  if (n < 0) throw new CronError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, b: Bounds): number {
  const named = b.names?.[expr.toLowerCase()];
  return named ?? mustParseInt(expr);
}

function parseRange(expr: string, b: Bounds, into: Set<number>): boolean {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0], b);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1], b);
    else throw new CronError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]);
    // "N/step" means "N-max/step".
    if (single) end = b.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new CronError(`too many slashes: ${expr}`);
  }
  if (start < b.min) throw new CronError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new CronError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) into.add(v);
  return star;
}

function parseField(f: string, b: Bounds): { set: Set<number>; star: boolean } {
  const set = new Set<number>();
  let star = false;
  for (const part of f.split(',').filter((p) => p !== '')) if (parseRange(part, b, set)) star = true;
  return { set, star };
}

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

/** Parses a schedule as ParseStandard does; throws CronError with the library's message. */
export function parseCronSchedule(spec: string, timeZone?: string): CronSchedule {
  if (spec.length === 0) throw new CronError('empty spec string');
  let zone = timeZone;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const i = spec.indexOf(' ');
    const eq = spec.indexOf('=');
    const name = spec.slice(eq + 1, i < 0 ? undefined : i);
    if (!isValidTimeZone(name)) throw new CronError(`provided bad location ${name}: unknown time zone ${name}`);
    zone = name;
    spec = i < 0 ? '' : spec.slice(i).trim();
  }
  if (spec.startsWith('@')) {
    const fixed = DESCRIPTORS[spec];
    if (fixed) return fieldSchedule(parseFields(fixed), zone);
    if (spec.startsWith('@every ')) {
      let nanos: bigint;
      try {
        nanos = parseDurationNanos(spec.slice('@every '.length));
      } catch (e) {
        throw new CronError(`failed to parse duration ${spec}: ${(e as Error).message}`);
      }
      // Whole seconds, at least one, as the library rounds it.
      const ms = Math.max(1000, Math.floor(Number(nanos / 1_000_000n) / 1000) * 1000);
      return { next: (after) => new Date(Math.floor(after.getTime() / 1000) * 1000 + ms) };
    }
    throw new CronError(`unrecognized descriptor: ${spec}`);
  }
  return fieldSchedule(parseFields(spec), zone);
}

function parseFields(spec: string): FieldSets {
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) throw new CronError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const minute = parseField(fields[0], MINUTES);
  const hour = parseField(fields[1], HOURS);
  const dom = parseField(fields[2], DOM);
  const month = parseField(fields[3], MONTHS);
  const dow = parseField(fields[4], DOW);
  return { minute: minute.set, hour: hour.set, dom: dom.set, month: month.set, dow: dow.set, domStar: dom.star, dowStar: dow.star };
}

interface Wall { year: number; month: number; day: number; hour: number; minute: number; dow: number }

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(t: number, zone: string | undefined): Wall {
  if (!zone || zone === 'UTC' || zone === 'Etc/UTC') {
    const d = new Date(t);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), dow: d.getUTCDay() };
  }
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short',
    });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  const dows: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
  return { year: +p.year, month: +p.month, day: +p.day, hour: +p.hour % 24, minute: +p.minute, dow: dows[p.weekday] ?? 0 };
}

function fieldSchedule(s: FieldSets, zone: string | undefined): CronSchedule {
  const dayMatches = (w: Wall) => {
    const domMatch = s.dom.has(w.day);
    const dowMatch = s.dow.has(w.dow);
    return s.domStar || s.dowStar ? domMatch && dowMatch : domMatch || dowMatch;
  };
  return {
    next(after) {
      const MIN = 60_000;
      let t = Math.floor(after.getTime() / MIN) * MIN + MIN;
      // Five years covers every satisfiable schedule (Feb 29 included); beyond that none exists.
      const limit = t + 5 * 366 * 24 * 60 * MIN;
      while (t < limit) {
        const w = wallClock(t, zone);
        if (!s.month.has(w.month) || !dayMatches(w)) {
          t += ((23 - w.hour) * 60 + (60 - w.minute)) * MIN;
          continue;
        }
        if (!s.hour.has(w.hour)) {
          t += (60 - w.minute) * MIN;
          continue;
        }
        if (!s.minute.has(w.minute)) {
          t += MIN;
          continue;
        }
        return new Date(t);
      }
      return undefined;
    },
  };
}

/** Whether an IANA time zone name is known, as Go's time.LoadLocation checks it (case-sensitively). */
export function isValidTimeZone(name: string): boolean {
  if (name === 'UTC' || name === '') return true;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    // Intl accepts any capitalisation; zone files are named in their canonical case.
    return resolved === name || canonicalCase(name);
  } catch {
    return false;
  }
}

function canonicalCase(name: string): boolean {
  const known = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  if (known.includes(name)) return true;
  // Links such as Asia/Calcutta or US/Eastern: every part starts upper-case, as the zone files do.
  return name.split('/').every((part) => /^[A-Z]/.test(part));
}
