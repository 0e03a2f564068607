import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregateRecords,
  asLine,
  FIREHOSE_LIMITS,
  putCalls,
  REPORT_DELIMITER,
} from '#functions/archive/aggregate-records.ts';

const report = (i: number) => JSON.stringify({ thing: `lum-${i}`, ts: 1_790_000_000 + i, energyWh: i });
const bytes = (text: string) => Buffer.byteLength(text);

describe('aggregateRecords', () => {
  it('packs a batch of reports into records of at most 500 reports, in order, each report once', () => {
    const reports = Array.from({ length: 1_234 }, (_, i) => report(i));
    const records = aggregateRecords(reports);
    expect(records.map((r) => r.reports)).toEqual([500, 500, 234]);
    expect(records.map((r) => r.firstReport)).toEqual([0, 500, 1000]);
    expect(records.flatMap((r) => r.data.split(REPORT_DELIMITER))).toEqual(reports);
  });

  it('puts a few dozen reports in one record, billed once rather than once per report', () => {
    const reports = Array.from({ length: 40 }, (_, i) => report(i));
    const [only, ...rest] = aggregateRecords(reports);
    expect(rest).toEqual([]);
    expect(bytes(only?.data ?? '')).toBe(reports.reduce((sum, r) => sum + bytes(r) + 1, -1));
  });

  it('keeps every record within the byte limit, a report too large for it alone in a record of its own', () => {
    const limits = { ...FIREHOSE_LIMITS, recordBytes: 100 };
    const big = 'x'.repeat(150);
    const records = aggregateRecords(['a'.repeat(60), 'b'.repeat(39), big, 'c'.repeat(10)], limits);
    expect(records.map((r) => r.data)).toEqual([`${'a'.repeat(60)}\n${'b'.repeat(39)}`, big, 'c'.repeat(10)]);
  });

  it('turns a line break inside a report into a space, so de-aggregation cannot split it', () => {
    expect(asLine('{"ts":1,\n"a":2}\r\n')).toBe('{"ts":1, "a":2} ');
    expect(aggregateRecords(['{"ts":\n1}', 'plain'])[0]?.data).toBe('{"ts": 1}\nplain');
  });

  it('holds for any batch: order and content kept, every record within the count and byte limits', () => {
    const limits = { ...FIREHOSE_LIMITS, recordBytes: 300, reportsPerRecord: 7 };
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 120 }), { maxLength: 200 }), (raw) => {
        const reports = raw.map(asLine);
        const records = aggregateRecords(reports, limits);
        expect(records.flatMap((r) => r.data.split(REPORT_DELIMITER))).toEqual(reports);
        let next = 0;
        for (const record of records) {
          expect(record.firstReport).toBe(next);
          next += record.reports;
          expect(record.reports).toBeLessThanOrEqual(limits.reportsPerRecord);
          if (record.reports > 1) expect(bytes(record.data)).toBeLessThanOrEqual(limits.recordBytes);
        }
        expect(next).toBe(reports.length);
      }),
    );
  });
});

describe('putCalls', () => {
  it('splits records into PutRecordBatch calls of at most 500 records and 4 MiB, in order', () => {
    const small = Array.from({ length: 1_100 }, (_, i) => ({ data: String(i) }));
    expect(putCalls(small).map((call) => call.length)).toEqual([500, 500, 100]);
    const large = Array.from({ length: 9 }, (_, i) => ({ data: String(i).repeat(1_000 * 1024) }));
    const calls = putCalls(large);
    expect(calls.map((call) => call.length)).toEqual([4, 4, 1]);
    expect(calls.flat()).toEqual(large);
    for (const call of calls)
      expect(call.reduce((sum, r) => sum + bytes(r.data), 0)).toBeLessThanOrEqual(FIREHOSE_LIMITS.callBytes);
  });
});
