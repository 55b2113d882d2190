import { randomBytes } from 'node:crypto';

/**
 * EMQX message GUIDs: 128 bits printed as 32 upper-case hex digits — a microsecond timestamp (64 bits), a
 * per-node id (48 bits) and a sequence (16 bits), so ids sort by publish time like `emqx_guid`.
 */
export function createMessageIdGenerator(now: () => number): () => string {
  const nodeId = randomBytes(6).toString('hex');
  let sequence = 0;
  return () => {
    sequence = (sequence + 1) & 0xffff;
    const micros = BigInt(now()) * 1000n;
    return (
      micros.toString(16).padStart(16, '0') +
      nodeId +
      sequence.toString(16).padStart(4, '0')
    ).toUpperCase();
  };
}
