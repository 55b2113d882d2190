import type { StreamEvent } from '../../live/stream.ts';

/**
 * A stream's last event may be an error (connection lost, token expired, deployment stopped): it is thrown from
 * the field's resolver, so the caller gets it as a GraphQL error with its code, as with any other field.
 */
export function eventValue<T>(event: StreamEvent<T>): T & { droppedBefore: number } {
  if (event.kind === 'error') throw event.error;
  return { ...event.value, droppedBefore: event.droppedBefore };
}
