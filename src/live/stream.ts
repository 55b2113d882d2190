/**
 * One subscriber's stream: a bounded buffer between a producer that never waits (an MQTT message handler,
 * the catalog) and a consumer that may be slow (an SSE or WebSocket client). When the buffer is full the oldest
 * entry is dropped and counted; the next entry handed out carries that count as `droppedBefore`, so a slow
 * consumer learns what it missed and the gateway's memory stays bounded whatever the consumer does.
 */

export type StreamEvent<T> =
  | { kind: 'item'; value: T; droppedBefore: number }
  /** An error for the consumer to see as the stream's last event (the stream then completes). */
  | { kind: 'error'; error: Error };

export interface LiveStreamOptions {
  /** Entries held for a consumer that does not read. */
  capacity: number;
  /** Completes after this many items were handed out. */
  maxItems?: number;
  /** Ends the stream, unread entries included, when aborted (the caller went away). */
  signal?: AbortSignal;
  /** Called exactly once, however the stream ends: release what feeds it here. */
  onClose: () => void;
  /** Told about every dropped entry (metrics). */
  onDrop?: () => void;
}

export interface LiveStream<T> extends AsyncIterableIterator<StreamEvent<T>> {
  push(value: T): void;
  /** Hands the error out after what is already buffered, then completes. */
  fail(error: Error): void;
  /** Completes after what is already buffered. */
  end(): void;
  /** Completes now, dropping what is buffered. */
  close(): void;
}

export function createLiveStream<T>(options: LiveStreamOptions): LiveStream<T> {
  const buffer: StreamEvent<T>[] = [];
  let dropped = 0;
  let delivered = 0;
  let ending = false;
  let closed = false;
  let wake: (() => void) | null = null;

  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  const close = () => {
    if (closed) return;
    closed = true;
    buffer.length = 0;
    options.signal?.removeEventListener('abort', close);
    options.onClose();
    notify();
  };
  options.signal?.addEventListener('abort', close, { once: true });
  if (options.signal?.aborted) close();

  async function next(): Promise<IteratorResult<StreamEvent<T>>> {
    while (!closed) {
      const event = buffer.shift();
      if (event) {
        if (event.kind === 'item') delivered++;
        const last =
          event.kind === 'error' || (options.maxItems !== undefined && delivered >= options.maxItems);
        if (last) {
          buffer.length = 0;
          ending = true;
        }
        // Released as soon as the last event is out, before the consumer asks again.
        if (ending && buffer.length === 0) queueMicrotask(close);
        return { value: event, done: false };
      }
      if (ending) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    close();
    return { value: undefined, done: true };
  }

  return {
    push(value) {
      if (closed || ending) return;
      if (buffer.length >= options.capacity) {
        buffer.shift();
        dropped++;
        options.onDrop?.();
      }
      buffer.push({ kind: 'item', value, droppedBefore: 0 });
      notify();
    },
    fail(error) {
      if (closed || ending) return;
      buffer.push({ kind: 'error', error });
      ending = true;
      notify();
    },
    end() {
      ending = true;
      notify();
    },
    close,
    next: async () => {
      const result = await next();
      // The count is read when the item is handed out: drops that happened while it waited belong to it.
      if (!result.done && result.value.kind === 'item') {
        result.value.droppedBefore = dropped;
        dropped = 0;
      }
      return result;
    },
    async return() {
      close();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
