import { describe, expect, it } from 'vitest';
import { documentNestsDeeper, valueNestsDeeper } from '../../../src/security/nesting.ts';

describe('documentNestsDeeper', () => {
  it.each([
    ['{ a { b } }', 2, false],
    ['{ a { b { c } } }', 2, true],
    ['{ a(x: [[1]]) }', 3, false],
    ['{ a(x: [[[1]]]) }', 3, true],
    ['{ a(x: "[[[[[[") }', 1, false],
    ['{ a(x: "\\"[[[[") }', 1, false],
    ['{ a(x: """ [[[[ \\""" [[[ """) }', 1, false],
    ['# {{{{{{\n{ a }', 1, false],
    ['{ a(x: { y: { z: 1 } }) }', 2, true],
  ])('%s deeper than %i: %s', (source, max, expected) => {
    expect(documentNestsDeeper(source, max)).toBe(expected);
  });
});

describe('valueNestsDeeper', () => {
  it('measures arrays and objects, not scalars', () => {
    expect(valueNestsDeeper(undefined, 1)).toBe(false);
    expect(valueNestsDeeper('[[[[', 1)).toBe(false);
    expect(valueNestsDeeper({ a: [1] }, 2)).toBe(false);
    expect(valueNestsDeeper({ a: [{}] }, 2)).toBe(true);
  });

  it('measures a value far deeper than the stack allows for recursion', () => {
    let value: unknown = [];
    for (let i = 0; i < 200_000; i++) value = [value];
    expect(valueNestsDeeper(value, 64)).toBe(true);
  });
});
