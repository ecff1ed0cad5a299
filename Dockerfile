# syntax=docker/dockerfile:1

# ---- build: compile TypeScript to dist/ ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
# swagger-ui-dist pulls in @scarf/scarf, whose install script reports usage; switch it off.
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci
# Everything else the build may need; .dockerignore keeps out node_modules, dist, data, test and .env.
COPY . .
RUN npm run build

# ---- runtime: production dependencies and dist/ only ----
# No embedded database here (no Go, no mongod): set MONGODB_URI and JWT_SECRET.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# The OpenAPI document answers once the app is listening, which is after it has connected to the database.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require('node:http').get('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live', (res) => process.exit(res.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"]
CMD ["node", "dist/main.js"]
