import { builder } from './builder.ts';
import './scalars.ts';
import './errors.ts';
import './deployment.ts';
import './quota.ts';
import './lifecycle.ts';

builder.queryType({});
builder.mutationType({});

/** Builds the executable schema. Importing this module only registers types; nothing else runs. */
export const buildSchema = () => builder.toSchema({ sortSchema: false });
