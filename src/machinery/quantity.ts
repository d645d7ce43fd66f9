// resource.Quantity: fixed-point amounts with unit suffixes ("100m", "1Gi", "1e3"). Exact: values
// are held as a bigint count of nano-units (Kubernetes keeps nothing finer), never as floats, and
// printed in Kubernetes' canonical form so stored objects read back as they would from a real cluster.
import { StatusError } from './status.js';

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export const QUANTITY_REGEX = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const ERR_QUANTITY_FORMAT = `quantities must match the regular expression '${QUANTITY_REGEX}'`;
export const ERR_QUANTITY_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_QUANTITY_SUFFIX = "unable to parse quantity's suffix";

const NANO = 1_000_000_000n;
const INT64_MAX = (1n << 63n) - 1n;
/** Parsing caps binary quantities at 2^63-1, as Kubernetes does. */
const BINARY_MAX_NANOS = INT64_MAX * NANO;
/** Exponents beyond this would build numbers too large to hold; Kubernetes' int64 accessors overflow far earlier. */
const MAX_EXPONENT = 1000;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map([[0, ''], ...Object.entries(BINARY_SUFFIXES).map(([s, e]): [number, string] => [e, s])]);
const SUFFIX_CHARS = new Set('eEinumkKMGTP');

const bad = (message: string) => new StatusError(400, 'BadRequest', message);
const pow10 = (n: number): bigint => 10n ** BigInt(n);
const abs = (v: bigint): bigint => (v < 0n ? -v : v);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Divides, rounding any remainder away from zero (Kubernetes rounds quantities up in magnitude). */
function divAway(n: bigint, d: bigint): bigint {
  const q = n / d;
  if (q * d === n) return q;
  return n < 0n ? q - 1n : q + 1n;
}

export class Quantity {
  /**
   * @param nanos the amount in units of 10^-9
   * @param format the suffix family it prints with
   * @param text the string it was parsed from, kept when that string was already canonical
   *   (Kubernetes echoes such strings back unchanged, "+1" included)
   */
  constructor(readonly nanos: bigint, readonly format: QuantityFormat = 'DecimalSI', private readonly text?: string) {}

  static fromValue(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value) * NANO, format);
  }

  static fromMilli(milli: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(milli) * 1_000_000n, format);
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.nanos === 0n ? 0 : this.nanos < 0n ? -1 : 1;
  }

  /** The value rounded away from zero to a whole number, like Kubernetes' Value(). */
  value(): bigint {
    return divAway(this.nanos, NANO);
  }

  /** The value in thousandths, rounded away from zero, like MilliValue(). */
  milliValue(): bigint {
    return divAway(this.nanos, 1_000_000n);
  }

  /** The value in units of 10^scale (scale ≥ -9), rounded away from zero, like ScaledValue(). */
  scaledValue(scale: number): bigint {
    if (scale < -9) return this.nanos * pow10(-9 - scale);
    return divAway(this.nanos, pow10(scale + 9));
  }

  /** A float for display and ratios; may lose precision. */
  asApproximateFloat64(): number {
    return Number(this.nanos) / 1e9;
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    return this.nanos === other.nanos ? 0 : this.nanos < other.nanos ? -1 : 1;
  }

  equals(other: Quantity): boolean {
    return this.nanos === other.nanos;
  }

  /** A zero quantity takes the other's format, so a sum started from zero prints like its terms. */
  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.isZero() ? other.format : this.format);
  }

  sub(other: Quantity): Quantity {
    return new Quantity(this.nanos - other.nanos, this.isZero() ? other.format : this.format);
  }

  neg(): Quantity {
    return new Quantity(-this.nanos, this.format);
  }

  mul(factor: bigint | number): Quantity {
    return new Quantity(this.nanos * BigInt(factor), this.format);
  }

  toString(): string {
    return this.text ?? canonicalize(this.nanos, this.format);
  }

  toJSON(): string {
    return this.toString();
  }
}

function canonicalize(nanos: bigint, format: QuantityFormat): string {
  if (nanos === 0n) return '0';
  let f = format;
  // Small or fractional binary amounts print in decimal: "512", not "0.5Ki"; "1126400m", not a rounded "1Ki".
  if (f === 'BinarySI' && (abs(nanos) < 1024n * NANO || nanos % NANO !== 0n)) f = 'DecimalSI';
  if (f === 'BinarySI') {
    let m = nanos / NANO;
    let e = 0;
    while (e < 60 && m % 1024n === 0n) {
      m /= 1024n;
      e += 10;
    }
    return `${m}${BINARY_BY_EXPONENT.get(e)}`;
  }
  // Largest exponent that is a multiple of 3 with a whole mantissa.
  let m = nanos;
  let e = -9;
  while (m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  while (e % 3 !== 0) {
    m *= 10n;
    e--;
  }
  if (f === 'DecimalSI') {
    const suffix = DECIMAL_BY_EXPONENT.get(e);
    // Past "E" there is no SI suffix; exponent notation keeps the value intact.
    return suffix !== undefined ? `${m}${suffix}` : `${m}e${e}`;
  }
  return e === 0 ? `${m}` : `${m}e${e}`;
}

interface Scanned {
  positive: boolean;
  num: string;
  denom: string;
  suffix: string;
}

/** Splits a quantity string the way Kubernetes' scanner does (leading zeros dropped, "1." and ".5" allowed). */
function scan(s: string): Scanned {
  let pos = 0;
  let positive = true;
  if (s[0] === '-') {
    positive = false;
    pos++;
  } else if (s[0] === '+') {
    pos++;
  }
  while (s[pos] === '0') pos++;
  if (pos >= s.length) return { positive, num: '0', denom: '', suffix: '' };
  const numStart = pos;
  while (isDigit(s[pos])) pos++;
  const num = s.slice(numStart, pos) || '0';
  let denom = '';
  if (s[pos] === '.') {
    const start = ++pos;
    while (isDigit(s[pos])) pos++;
    denom = s.slice(start, pos);
  }
  const suffixStart = pos;
  while (pos < s.length && SUFFIX_CHARS.has(s[pos])) pos++;
  if (s[pos] === '-' || s[pos] === '+') pos++;
  while (isDigit(s[pos])) pos++;
  if (pos < s.length) throw bad(ERR_QUANTITY_FORMAT);
  return { positive, num, denom, suffix: s.slice(suffixStart) };
}

function interpretSuffix(suffix: string): { base: 2 | 10; exponent: number; format: QuantityFormat } {
  if (suffix in DECIMAL_SUFFIXES) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix], format: 'DecimalSI' };
  if (suffix in BINARY_SUFFIXES) return { base: 2, exponent: BINARY_SUFFIXES[suffix], format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    const exponent = Number(suffix.slice(1));
    if (exponent > MAX_EXPONENT) throw bad(ERR_QUANTITY_NUMERIC);
    return { base: 10, exponent, format: 'DecimalExponent' };
  }
  throw bad(ERR_QUANTITY_SUFFIX);
}

/**
 * Whether Kubernetes would keep the string as written: it does when the parse took its int64 fast
 * path and the digits were already in canonical shape.
 */
function keepsText(sc: Scanned, base: 2 | 10, exponent: number): boolean {
  const shifted = sc.num + sc.denom;
  if (base === 10) {
    const precision = 18 - (sc.num.length + sc.denom.length);
    const scale = exponent - sc.denom.length;
    return precision >= 0 && scale >= -9 && scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
  }
  if (sc.denom.length > 0) return false;
  const precision = 15 - sc.num.length - Math.trunc((exponent * 3) / 10) - 1;
  if (precision < 0) return false;
  const v = BigInt(shifted);
  return v << BigInt(exponent) <= INT64_MAX && (v & 7n) !== 0n;
}

/** Parses a quantity as Kubernetes does; throws a 400 BadRequest StatusError with Kubernetes' message. */
export function parseQuantity(v: string | number): Quantity {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw bad(ERR_QUANTITY_FORMAT);
    v = String(v);
  }
  if (typeof v !== 'string' || v.length === 0) throw bad(ERR_QUANTITY_FORMAT);
  if (v === '0') return new Quantity(0n, 'DecimalSI', '0');
  const sc = scan(v);
  const { base, exponent, format: parsedFormat } = interpretSuffix(sc.suffix);
  let format = parsedFormat;
  const digits = BigInt(sc.num + sc.denom);
  let nanos: bigint;
  if (base === 10) {
    const shift = exponent - sc.denom.length + 9;
    if (shift >= 0) nanos = digits * pow10(shift);
    // Anything finer than a nano rounds up to the next nano, so a tiny request still asks for something.
    else if (-shift > sc.num.length + sc.denom.length + 1) nanos = digits === 0n ? 0n : 1n;
    else nanos = divAway(digits, pow10(-shift));
  } else {
    nanos = divAway((digits << BigInt(exponent)) * NANO, pow10(sc.denom.length));
  }
  if (format === 'BinarySI' && nanos > BINARY_MAX_NANOS) nanos = BINARY_MAX_NANOS;
  if (format === 'BinarySI' && nanos > 0n && nanos < NANO) format = 'DecimalSI';
  if (!sc.positive) nanos = -nanos;
  return new Quantity(nanos, format, keepsText(sc, base, exponent) ? v : undefined);
}

export function isValidQuantity(v: unknown): boolean {
  if (typeof v !== 'string' && typeof v !== 'number') return false;
  try {
    parseQuantity(v);
    return true;
  } catch {
    return false;
  }
}

/**
 * A quantity as JSON carries it: a string (surrounding spaces ignored, as Kubernetes' decoder does)
 * or a number. null and undefined give undefined.
 */
export function quantityFromJSON(v: unknown): Quantity | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return parseQuantity(v.trim());
  if (typeof v === 'number') return parseQuantity(v);
  throw bad(ERR_QUANTITY_FORMAT);
}

/** The string Kubernetes stores for a quantity field (e.g. "1000m" → "1", "1024Mi" → "1Gi"). */
export function canonicalQuantity(v: string | number): string {
  return parseQuantity(v).toString();
}
