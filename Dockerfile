# syntax=docker/dockerfile:1
#
# Tenderly diagnosis service: multi-stage image (deps -> build -> runtime).
#
#   deps     installs every dependency (incl. dev: typescript) from package-lock.json
#   build    compiles src/ to dist/ with tsc (npm run build)
#   runtime  production dependencies only + dist/, non-root uid 10001, read-only friendly
#
# No secret is baked into any layer: configuration comes from the environment at run time
# (see .env.docker). The runtime writes nothing outside /tmp, so it runs with
# `read_only: true` and a tmpfs on /tmp (see docker-compose*.yml).

FROM node:24-slim AS deps
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts

FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:24-slim AS runtime
ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="tenderly-diagnosis-service" \
      org.opencontainers.image.description="Gynecology and obstetrics triage and differential diagnosis API" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="UNLICENSED" \
      org.opencontainers.image.vendor="Tenderly" \
      org.opencontainers.image.base.name="docker.io/library/node:24-slim"

# The heap cap keeps the process inside the compose memory limit (512M): without it V8 sizes the heap by the
# host's memory and lets garbage pile up past the limit under load (see BENCHMARKS.md, s5).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-old-space-size=256 \
    HOST=0.0.0.0 \
    PORT=8000 \
    METRICS_PORT=9464 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app

# Fixed uid/gid so volume ownership and securityContext/runAsUser are predictable.
RUN groupadd --system --gid 10001 tenderly \
 && useradd --system --uid 10001 --gid tenderly --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin tenderly

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts \
 && npm cache clean --force \
 && rm -rf /root/.npm /tmp/*

COPY --from=build /app/dist ./dist

USER 10001:10001

EXPOSE 8000 9464
STOPSIGNAL SIGTERM

# Liveness only (the process answers); readiness (/health/ready) is for the load balancer.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/health/live',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

CMD ["node", "dist/server.js"]
