FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm install --no-save tsx
COPY tsconfig.json ./
COPY src ./src
USER node
ENV NODE_ENV=production
EXPOSE 3000
CMD ["node", "--import", "tsx", "src/main.ts"]
