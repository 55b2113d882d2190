# syntax=docker/dockerfile:1.7
# Two images from one file:
#   docker build -t emqx-cloud-gateway .                                   the gateway (default, last stage)
#   docker build --target simulator -t emqx-cloud-gateway-simulator .      the EMQX Cloud simulator, for demos
# The gateway image holds compiled JavaScript and production dependencies only: no TypeScript runtime, no
# simulator, no MQTT broker.

FROM node:24-bookworm-slim AS dev-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts && npm cache clean --force

FROM dev-deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:24-bookworm-slim AS prod-deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

# The simulator runs its TypeScript through tsx, a development dependency: it is a test tool, not a product
# that runs in production.
FROM dev-deps AS simulator
ENV NODE_ENV=production
COPY --chown=node:node src ./src
# Mount point for the compose demo, where the simulator leaves a gateway configuration for the replicas.
RUN mkdir -p /shared && chown node:node /shared
USER node
EXPOSE 8899
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "src/simulator/main.ts"]

FROM node:24-bookworm-slim AS gateway
WORKDIR /app
ENV NODE_ENV=production \
    PORT=4000 \
    HOST=0.0.0.0 \
    LOG_LEVEL=info
# Owned by root: the gateway's user (uid 1000, as the Kubernetes manifests run it) can read, not change, them.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4000
# For docker and compose; Kubernetes ignores it and uses its own probes (on server.managementPort when set).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM makes the gateway answer 503 on /readyz, drain in-flight requests and exit 0. The source maps are
# in dist/: NODE_OPTIONS=--enable-source-maps points stack traces at the TypeScript lines.
STOPSIGNAL SIGTERM
CMD ["node", "dist/server.js"]
