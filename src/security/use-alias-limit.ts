import type { Plugin } from 'graphql-yoga';
import { aliasFold } from './selection-fold.ts';
import { useSelectionLimit } from './use-selection-limit.ts';

export interface AliasLimitOptions {
  /**
   * Aliased fields in one operation, counted every time a fragment is spread.
   * @default 30
   */
  maxAliases: number;
}

/**
 * Refuses alias floods before execution: aliases are how one request asks for the same upstream call (or the
 * same mutation) a thousand times.
 */
export const useAliasLimit = ({ maxAliases }: AliasLimitOptions): Plugin =>
  useSelectionLimit('maxAliases', maxAliases, aliasFold);
