// What a message must lead to, worked out independently of the router: valid events by the column that
// reflects them, bad ones by their dead-letter code; and the generated stream holds both.
import { describe, expect, it } from 'vitest';
import { expectationOf, reflects, wrongbookWorkload, type ProducedMessage, type WorkloadMessage } from '../src/index.js';

const at = (message: WorkloadMessage, offset = 0n): ProducedMessage => ({ message, partition: 0, offset });
const envelope = (type: string, payload: Record<string, unknown>): Buffer =>
  Buffer.from(JSON.stringify({ domain: 'wrongbook', type, timestamp: 1_736_899_200_000, eventId: `e_${type}`, payload }));

describe('expectations', () => {
  it('a valid fix is reflected by its fix_time; a later fix_time still reflects it, an earlier one does not', async () => {
    const e = await expectationOf(at({ key: 'u', label: 'fix', value: envelope('wrongbook_fix', { fix_id: 'f1', wrong_id: 'w1', user_id: 'u', fix_result: 1, fix_time: 1_736_899_200_000 }) }), 't', 1 << 20);
    expect(e.expectation).toEqual({ kind: 'row', wrongId: 'w1', column: 'fix_time', atLeast: 1_736_899_200_000 });
    if (e.expectation.kind !== 'row') throw new Error('unreachable');
    expect(reflects(e.expectation, { collect_time: null, fix_time: 1_736_899_200_001, delete_time: null })).toBe(true);
    expect(reflects(e.expectation, { collect_time: null, fix_time: 1_736_899_199_999, delete_time: null })).toBe(false);
    expect(reflects(e.expectation, undefined)).toBe(false);
  });

  it('bad messages expect a dead letter with their code', async () => {
    const codes = async (value: Buffer | null, max = 1 << 20): Promise<unknown> => (await expectationOf(at({ key: null, label: 'bad', value }), 't', max)).expectation;
    expect(await codes(Buffer.from('nope'))).toEqual({ kind: 'dlq', codes: ['EVR_ERR_DECODE_NOT_JSON'] });
    expect(await codes(null)).toEqual({ kind: 'dlq', codes: ['EVR_ERR_DECODE_NOT_JSON'] });
    expect(await codes(Buffer.from('{}'))).toEqual({ kind: 'dlq', codes: ['EVR_ERR_DECODE_ENVELOPE'] });
    expect(await codes(envelope('wrongbook_add', { wrong_id: 'w' }))).toEqual({ kind: 'dlq', codes: ['EVR_ERR_PROCESSOR_REJECTED'] });
    expect(await codes(envelope('wrongbook_nothing', {}))).toEqual({ kind: 'dlq', codes: ['EVR_ERR_ROUTE_UNMATCHED'] });
    expect(await codes(envelope('wrongbook_add', {}), 10)).toEqual({ kind: 'dlq', codes: ['EVR_ERR_DECODE_TOO_LARGE'] });
  });

  it('the generated workload is seeded and mixes valid and bad messages', async () => {
    const a = wrongbookWorkload(7, 100);
    expect(wrongbookWorkload(7, 100).map((m) => m.label)).toEqual(a.map((m) => m.label));
    expect(wrongbookWorkload(8, 100).map((m) => m.label)).not.toEqual(a.map((m) => m.label));
    const kinds = new Set<string>();
    for (const [i, m] of a.entries()) kinds.add((await expectationOf(at(m, BigInt(i)), 't', 1 << 20)).expectation.kind);
    expect(kinds.has('row')).toBe(true);
    expect(kinds.has('dlq')).toBe(true);
  });
});
