/**
 * The wide table's `id` (BIGINT PRIMARY KEY): a stable 64-bit hash of `wrong_id`, the same in every
 * language and on every run, so any writer (this library, a batch job, a SQL backfill) computes the
 * same key for the same wrong question.
 *
 * Algorithm: SHA-256 of the UTF-8 bytes of `wrong_id` (no normalisation: no trimming, no case
 * folding); take the first 8 bytes of the digest as a big-endian two's-complement signed 64-bit
 * integer; write it in decimal. Elsewhere:
 * - Java: `ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(id.getBytes(UTF_8))).getLong()`
 * - Python: `int.from_bytes(hashlib.sha256(id.encode()).digest()[:8], "big", signed=True)`
 * - MySQL 8 / MariaDB: `CAST(CONV(LEFT(SHA2(id, 256), 16), 16, 10) AS SIGNED)` (the cast wraps values
 *   above 2^63 − 1 to negative, as the other forms do; MySQL warns about it).
 *
 * Collisions: with n wrong_ids the chance that any two share an id is about n² / 2^65 (3 × 10^-8 for a
 * million ids, 3 % for a billion). Two colliding wrong_ids would merge into one row (the upsert
 * conflicts on `id`; `wrong_id` is never updated), so the hash is sized for far more rows than the
 * table will ever hold.
 */
import { createHash } from 'node:crypto';

/** The stable 64-bit id of a wrong_id, as a signed decimal string (e.g. `"-4658312217735264467"`). */
export function stableId(wrongId: string): string {
  const digest = createHash('sha256').update(wrongId, 'utf8').digest();
  return BigInt.asIntN(64, digest.readBigUInt64BE(0)).toString();
}
