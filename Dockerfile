# One image per service: docker build --build-arg SERVICE=ticket .
FROM golang:1.26-bookworm AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN test -n "$SERVICE" && cd services/$SERVICE && \
    CGO_ENABLED=0 go build -trimpath -o /out/app ./cmd/$SERVICE && \
    cd /src && CGO_ENABLED=0 go build -trimpath -o /out/devtoken ./libs/cmd/devtoken && \
    cd services/gateway && CGO_ENABLED=0 go build -trimpath -o /out/demoseed ./cmd/demoseed

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
COPY --from=build /out/devtoken /devtoken
COPY --from=build /out/demoseed /demoseed
ENTRYPOINT ["/app"]
