import { HandlerCrash } from './reply.ts';

/**
 * `emqx_http_lib:uri_decode/1`: `%XX` becomes a byte, everything else (including `+`) stays. A `%` followed
 * by two non-hex characters crashes the Erlang handler; a trailing short `%4` is kept literally.
 */
export function uriDecode(value: string): string {
  const bytes: number[] = [];
  const source = Buffer.from(value, 'utf8');
  for (let i = 0; i < source.length; i++) {
    const byte = source[i]!;
    if (byte === 0x25 && i + 2 < source.length) {
      const hex = String.fromCharCode(source[i + 1]!, source[i + 2]!);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new HandlerCrash(`badarg: uri_decode ${value}`);
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(byte);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
