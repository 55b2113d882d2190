/** Text checks shared by topics, identifiers and payloads. */

/** C0 controls (NUL, CR, LF…), DEL and C1 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when the string has a UTF-8 encoding (no lone surrogate). A JSON request can carry `"\ud800"`, which
 * Node would silently turn into U+FFFD on the way to EMQX.
 */
export const isValidUtf8 = (value: string): boolean => !LONE_SURROGATE.test(value);
