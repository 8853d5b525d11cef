# The gateway as a container image. Production dependencies only, the esbuild bundle in dist/, a non-root user.
#   docker build -t imagegraph .
#   docker run -p 4000:4000 -e CYCLE_API_URL=… -e GATEWAY_TOKENS=… imagegraph
# BASE may be any Debian-based image: one without node (a bare Debian made with debootstrap, as CI does where no
# registry is reachable) gets Debian's nodejs, which is Node 20 from trixie on.
ARG BASE=node:20-bookworm-slim

# Node (from the base, or Debian's) and nothing else: the run-time stage's parent.
FROM ${BASE} AS node
RUN if ! command -v node >/dev/null 2>&1; then \
      apt-get update \
      && apt-get install -y --no-install-recommends nodejs ca-certificates \
      && rm -rf /var/lib/apt/lists/* /var/cache/apt/*; \
    fi

# The build: production dependencies (esbuild is one of them), then the bundle.
FROM node AS build
RUN if ! command -v npm >/dev/null 2>&1; then \
      apt-get update \
      && apt-get install -y --no-install-recommends npm \
      && rm -rf /var/lib/apt/lists/* /var/cache/apt/*; \
    fi
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: none of the production dependencies needs one to work (esbuild's binary is an optional
# dependency of its own), and the image runs no code it did not choose. Behind a TLS-intercepting proxy, pass its CA
# bundle as the build secret `ca` (`--secret id=ca,src=/etc/ssl/certs/ca-certificates.crt`): it is used for this
# step only and stays out of the image. package-lock.json is written by npm 11, and an older npm (Debian's is 9)
# reads the optional peer dependencies of some development packages as missing and refuses `npm ci`: the build
# first takes the npm the lock file was written with.
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export npm_config_cafile=/run/secrets/ca; fi \
    && if [ "$(npm --version | cut -d. -f1)" -lt 11 ]; then \
         npm install --global --no-audit --no-fund npm@11.19.1 && hash -r; \
       fi \
    && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm cache clean --force
COPY scripts/build.mjs scripts/build.mjs
COPY src/ src/
RUN node scripts/build.mjs

# The run-time image: what dist/ reads at run time, from the package root (src/packageFiles.ts): package.json,
# schema/, GraphiQL's app script, and packages from node_modules.
FROM node
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    SANDBOX=false \
    NODE_OPTIONS="--max-old-space-size=192 --max-semi-space-size=8"
WORKDIR /app
RUN groupadd --gid 10001 imagegraph \
    && useradd --uid 10001 --gid imagegraph --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin imagegraph
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY schema/ ./schema/
COPY src/graphiql/app.js ./src/graphiql/app.js
USER 10001:10001
EXPOSE 4000
# /healthz answers 200 while the process serves; node's fetch, since the image has no curl. The timeout allows for a
# busy node: starting a second node process there can take seconds.
HEALTHCHECK --interval=15s --timeout=10s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 4000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1: src/main.ts handles SIGTERM (drain for SHUTDOWN_GRACE_MS, then exit 0); no npm wrapper,
# which would not forward the signal.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
