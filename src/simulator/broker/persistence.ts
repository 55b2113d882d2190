import type { Readable } from 'node:stream';
import type { Client as AedesClient } from 'aedes';
// The async in-memory implementation aedes 1.x expects; its typings are not mapped to this subpath.
// @ts-expect-error no declaration file for the subpath
import MemoryPersistence from 'aedes-persistence/asyncPersistence.js';

/** A packet as aedes-persistence stores it. */
export interface StoredPacket {
  cmd: 'publish';
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  messageId?: number;
  brokerId?: string;
  brokerCounter?: number;
  /** Carries the message origin by reference (see `attachOrigin`). */
  properties?: object;
}

type ClientRef = Pick<AedesClient, 'id'>;

/** The parts of aedes' in-memory persistence the core reads directly (retained store, offline queues). */
export interface BrokerPersistence {
  storeRetained(packet: StoredPacket): Promise<void>;
  createRetainedStream(pattern: string): Readable;
  addSubscriptions(
    client: ClientRef,
    subs: { topic: string; qos: number; rh?: number; rap?: number; nl?: number }[],
  ): Promise<void>;
  removeSubscriptions(client: ClientRef, topics: string[]): Promise<void>;
  cleanSubscriptions(client: ClientRef): Promise<void>;
  outgoingStream(client: ClientRef): Readable;
}

export function createBrokerPersistence(): BrokerPersistence {
  return new MemoryPersistence() as BrokerPersistence;
}

export async function readAll<T>(stream: Readable): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item as T);
  return items;
}

/** Copies every retained message into a fresh persistence (a restarted broker keeps its retained store). */
export async function copyRetained(from: BrokerPersistence, to: BrokerPersistence): Promise<void> {
  for (const packet of await readAll<StoredPacket>(from.createRetainedStream('#')))
    await to.storeRetained(packet);
}
