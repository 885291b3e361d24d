# One image per service: docker build --build-arg SERVICE=ticket .
# The gateway's image carries the operator console, built in its own stage.
FROM node:20-bookworm AS console
WORKDIR /src/web/console
COPY web/console/package.json web/console/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web/console/ ./
RUN npx tsc --noEmit -p . && node build.mjs /out/site

FROM golang:1.26-bookworm AS build
ARG SERVICE
WORKDIR /src
COPY . .
COPY --from=console /out/site/ services/gateway/internal/console/site/
RUN test -n "$SERVICE" && cd services/$SERVICE && \
    CGO_ENABLED=0 go build -trimpath -o /out/app ./cmd/$SERVICE && \
    cd /src && CGO_ENABLED=0 go build -trimpath -o /out/devtoken ./libs/cmd/devtoken && \
    cd services/gateway && CGO_ENABLED=0 go build -trimpath -o /out/demoseed ./cmd/demoseed

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
COPY --from=build /out/devtoken /devtoken
COPY --from=build /out/demoseed /demoseed
# The official boundaries demoseed -data /data loads (about 0.8 MB).
COPY --from=build /src/data/mdb2011 /data/mdb2011
ENTRYPOINT ["/app"]
