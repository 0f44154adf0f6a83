# syntax=docker/dockerfile:1
# Two stages: the build stage has every dependency (TypeScript, tsx, the embedded PostgreSQL) and
# compiles src/ to dist/; the runtime stage has only the production dependencies and dist/.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The code belongs to root and is read-only to the service; the one folder it may write is
# /app/data (DATA_DIR). With NODE_ENV=production it writes nothing there by itself: JWT_SECRET and
# DATABASE_URL are required, so it neither generates a secret nor starts an embedded PostgreSQL.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# /ready: the database, the event store and the projections' lag. No curl in slim images, so Node's
# fetch. (The worker serves no HTTP: docker-compose.yml gives it a check of its own.)
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# --max-old-space-size as `npm start` passes it: docs/operations.md, "API memory".
CMD ["node", "--max-old-space-size=1536", "dist/main.js"]
