# syntax=docker/dockerfile:1
# Build: docker build -t hubspot-conversations-mcp --build-arg VERSION=$(git describe --tags --always) .
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/hubspot-conversations-mcp .

# A static binary on distroless: no shell, no package manager, non-root.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/hubspot-conversations-mcp /hubspot-conversations-mcp
USER nonroot:nonroot
ENTRYPOINT ["/hubspot-conversations-mcp"]
