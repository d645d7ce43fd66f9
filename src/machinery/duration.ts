// Go time.Duration strings ("1h30m", "10s", "500ms", "1.5h"), as Kubernetes flags and query
// parameters (`?timeout=30s`) use them. Parsed exactly in nanoseconds, returned in milliseconds.
import { StatusError } from './status.js';

const UNITS: Record<string, bigint> = {
  ns: 1n, us: 1_000n, 'µs': 1_000n, 'μs': 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};
const INT64_MAX = (1n << 63n) - 1n;

const bad = (message: string) => new StatusError(400, 'BadRequest', message);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Parses a Go duration to nanoseconds; throws 400 BadRequest with Go's message. */
export function parseDurationNanos(orig: string): bigint {
  const invalid = () => bad(`time: invalid duration ${JSON.stringify(orig)}`);
  let s = orig;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) throw invalid();
    let i = 0;
    while (isDigit(s[i])) i++;
    const whole = s.slice(0, i);
    s = s.slice(i);
    let frac = '';
    if (s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      while (isDigit(s[j])) j++;
      frac = s.slice(0, j);
      s = s.slice(j);
    }
    if (whole === '' && frac === '') throw invalid();
    let u = 0;
    while (u < s.length && s[u] !== '.' && !isDigit(s[u])) u++;
    if (u === 0) throw bad(`time: missing unit in duration ${JSON.stringify(orig)}`);
    const unitName = s.slice(0, u);
    s = s.slice(u);
    const unit = UNITS[unitName];
    if (unit === undefined) throw bad(`time: unknown unit ${JSON.stringify(unitName)} in duration ${JSON.stringify(orig)}`);
    const w = BigInt(whole || '0');
    if (w > INT64_MAX / unit) throw invalid();
    let v = w * unit;
    if (frac) {
      // Fractions finer than a nanosecond are dropped, as Go does.
      v += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    }
    total += v;
    if (total > INT64_MAX) throw invalid();
  }
  return neg ? -total : total;
}

/** Parses a Go duration ("1h30m", "500ms") to milliseconds (fractional below 1ms). */
export function parseDuration(s: string): number {
  return Number(parseDurationNanos(s)) / 1e6;
}

/** Go's Duration.String(): "1h30m0s", "500ms", "1.5s", "0s". */
export function formatDuration(ms: number): string {
  let ns = BigInt(Math.round(ms * 1e6));
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  if (ns < 0n) ns = -ns;
  const frac = (v: bigint, digits: number) => {
    const p = 10n ** BigInt(digits);
    const f = (v % p).toString().padStart(digits, '0').replace(/0+$/, '');
    return `${v / p}${f ? `.${f}` : ''}`;
  };
  if (ns < 1_000_000_000n) {
    if (ns < 1_000n) return `${sign}${ns}ns`;
    if (ns < 1_000_000n) return `${sign}${frac(ns, 3)}µs`;
    return `${sign}${frac(ns, 6)}ms`;
  }
  const h = ns / 3_600_000_000_000n;
  const m = (ns / 60_000_000_000n) % 60n;
  const sec = frac(ns % 60_000_000_000n, 9);
  if (h > 0n) return `${sign}${h}h${m}m${sec}s`;
  if (m > 0n) return `${sign}${m}m${sec}s`;
  return `${sign}${sec}s`;
}
