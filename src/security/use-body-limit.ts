import type { Plugin } from 'graphql-yoga';
import { limitError } from './limit-error.ts';

export interface BodyLimitOptions {
  /**
   * Largest request body in bytes. A declared Content-Length above it is refused (413) before a byte is read;
   * pass the same number to Yoga's `maxRequestBodySize`, which cuts off chunked bodies while they stream.
   * @default 524288 (512 KiB: the largest publish payload, base64-encoded, with room to spare)
   */
  maxBodyBytes: number;
}

/** Refuses oversized requests by their declared length, naming the limit, before the body is parsed. */
export function useBodyLimit({ maxBodyBytes }: BodyLimitOptions): Plugin {
  return {
    onRequestParse({ request }) {
      const declared = Number(request.headers.get('content-length'));
      if (Number.isFinite(declared) && declared > maxBodyBytes)
        throw limitError('maxBodyBytes', maxBodyBytes, declared);
    },
  };
}
