import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

/** Arm F1: bare graphql-yoga answering `{ hello }`, the framework floor on this machine. */
const yoga = createYoga({
  schema: createSchema({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: () => 'world' } },
  }),
  logging: false,
  graphiql: false,
});
createServer((req, res) => {
  if (req.url === '/healthz') return void res.end('ok');
  return yoga(req, res);
}).listen(Number(process.env.PORT), '127.0.0.1');
