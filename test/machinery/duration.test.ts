import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseDurationNanos, formatDuration } from '../../src/machinery/duration.js';
import { StatusError } from '../../src/machinery/status.js';

test('Go durations parse to milliseconds', () => {
  const cases: Array<[string, number]> = [
    ['0', 0], ['-0', 0], ['10s', 10_000], ['500ms', 500], ['1h30m', 5_400_000], ['1.5h', 5_400_000],
    ['2m3s', 123_000], ['+5s', 5000], ['-1m', -60_000], ['100us', 0.1], ['100µs', 0.1], ['250ns', 0.00025],
    ['1.s', 1000], ['.5s', 500], ['1h1m1s1ms', 3_661_001], ['0s', 0],
  ];
  for (const [s, ms] of cases) assert.equal(parseDuration(s), ms, s);
  assert.equal(parseDurationNanos('1.0000000001s'), 1_000_000_000n);
});

test('bad durations give Go messages as 400s', () => {
  const cases: Array<[string, string]> = [
    ['', 'time: invalid duration ""'],
    ['1', 'time: missing unit in duration "1"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['s', 'time: invalid duration "s"'],
    ['.s', 'time: invalid duration ".s"'],
    ['-', 'time: invalid duration "-"'],
    ['1h 2m', 'time: unknown unit "h " in duration "1h 2m"'],
    ['9999999999h', 'time: invalid duration "9999999999h"'],
  ];
  for (const [s, message] of cases) {
    assert.throws(() => parseDuration(s), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === message, s);
  }
});

test('formatDuration prints like Go', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'], [1500, '1.5s'], [5_400_000, '1h30m0s'], [500, '500ms'], [0.1, '100µs'], [0.00025, '250ns'],
    [61_000, '1m1s'], [-2000, '-2s'], [3_600_000, '1h0m0s'],
  ];
  for (const [ms, s] of cases) assert.equal(formatDuration(ms), s, String(ms));
  for (const s of ['1h30m0s', '1.5s', '2m3.25s']) assert.equal(formatDuration(parseDuration(s)), s);
});
