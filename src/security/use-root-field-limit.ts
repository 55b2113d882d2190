import type { Plugin } from 'graphql-yoga';
import { rootFieldFold } from './selection-fold.ts';
import { useSelectionLimit } from './use-selection-limit.ts';

export interface RootFieldLimitOptions {
  /**
   * Top-level fields in one operation, fragments expanded; a fragment-spread bomb lands here.
   * @default 20
   */
  maxRootFields: number;
}

/** Refuses operations with many top-level fields: each one is an independent resolver and upstream call. */
export const useRootFieldLimit = ({ maxRootFields }: RootFieldLimitOptions): Plugin =>
  useSelectionLimit('maxRootFields', maxRootFields, rootFieldFold);
