# syntax=docker/dockerfile:1.7
# Multi-stage build of the EMQX Cloud GraphQL gateway. The gateway runs its TypeScript sources with tsx,
# so the runtime image needs production dependencies and src/ only.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    PORT=4000 \
    HOST=0.0.0.0 \
    LOG_LEVEL=info
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json tsconfig.json ./
COPY --chown=node:node src ./src
# Mount point for the compose demo, where the simulator leaves a gateway configuration for the replicas.
RUN mkdir -p /shared && chown node:node /shared
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM makes the gateway answer 503 on /readyz, drain in-flight requests and exit 0.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "src/server.ts"]
