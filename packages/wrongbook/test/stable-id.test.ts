import { describe, expect, it } from 'vitest';
import { stableId } from '@evroute/wrongbook';

// Vectors computed independently with Python:
//   int.from_bytes(hashlib.sha256(s.encode()).digest()[:8], "big", signed=True)
const VECTORS: readonly (readonly [string, string])[] = [
  ['wrong_20250101_001', '-7847692875831551573'],
  ['w1', '6973077520940724882'],
  ['wrong_00000042', '-6665871785288979173'],
  ['错题-001', '-5240745078277204248'],
  ['', '-2039914840885289964'],
];

describe('stableId: the wide table id of a wrong_id', () => {
  it.each(VECTORS)('%j → %s', (wrongId, id) => {
    expect(stableId(wrongId)).toBe(id);
  });

  it('is a signed 64-bit integer in decimal', () => {
    for (const [wrongId] of VECTORS) {
      const id = BigInt(stableId(wrongId));
      expect(id >= -(2n ** 63n) && id < 2n ** 63n).toBe(true);
    }
  });

  it('hashes the exact text: no trimming and no case folding', () => {
    expect(stableId('w1 ')).not.toBe(stableId('w1'));
    expect(stableId('W1')).not.toBe(stableId('w1'));
  });
});
