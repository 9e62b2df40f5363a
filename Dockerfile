# PayKore Incident Bot: a small image that runs the bot in Socket Mode (no inbound traffic needed) or HTTP mode.
#   docker build -t paykore-bot .
#   docker run -d --name paykore-bot --init --env-file .env -v paykore-data:/data -p 3000:3000 paykore-bot
# See README.md, "Deploying", before running it anywhere that matters.

# Build stage: installs everything, compiles the TypeScript to dist/, then drops the dev tooling (tsx, esbuild,
# TypeScript) from node_modules. better-sqlite3 compiles its native addon here when no prebuilt binary matches the
# platform, so the compiler toolchain stays out of the image that runs.
FROM node:24-bookworm-slim AS build
WORKDIR /app
# Debian's security updates replace these versions; pinning them would break the build, not secure it.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build.mjs ./scripts/
COPY src ./src
RUN npm run build \
    && npm prune --omit=dev --no-audit --no-fund \
    && npm cache clean --force

# Runtime stage: node, the production dependencies and the compiled code (no sources), owned by root and read-only
# to the user that runs them.
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    DATABASE_PATH=/data/paykore-bot.sqlite \
    PORT=3000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY bin ./bin
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
# The database lives on a volume the unprivileged `node` user (uid 1000, from the base image) can write.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
# /healthz in both modes; /slack/events too in HTTP mode.
EXPOSE 3000
# No curl in a slim image: node's own fetch asks the bot, and a non-200 answer (503: database unavailable) fails.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM lets the bot finish in-flight requests and owed Slack messages before it exits.
STOPSIGNAL SIGTERM
CMD ["node", "bin/paykore-bot.js", "start"]
