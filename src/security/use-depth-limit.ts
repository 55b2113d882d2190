import type { Plugin } from 'graphql-yoga';
import { depthFold } from './selection-fold.ts';
import { useSelectionLimit } from './use-selection-limit.ts';

export interface DepthLimitOptions {
  /**
   * Deepest chain of nested fields in one operation, fragments expanded; introspection fields count too, so a
   * deep `ofType { ofType { … } }` chain is refused like any other.
   * @default 15 (GraphiQL's own introspection query reaches 13)
   */
  maxDepth: number;
}

/** Refuses deep queries before execution: depth multiplies resolver work and upstream fan-out. */
export const useDepthLimit = ({ maxDepth }: DepthLimitOptions): Plugin =>
  useSelectionLimit('maxDepth', maxDepth, depthFold);
