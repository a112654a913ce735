# syntax=docker/dockerfile:1
# Build: docker build -t hubspot-conversations-mcp --build-arg VERSION=$(git describe --tags --always | sed 's/^v//') .
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/hubspot-conversations-mcp .

# A static binary on distroless: no shell, no package manager, non-root.
FROM gcr.io/distroless/static-debian12:nonroot
# The MCP Registry checks that the image belongs to the server of server.json.
LABEL io.modelcontextprotocol.server.name="io.github.hubspot-conversations-mcp/hubspot-conversations-mcp"
COPY --from=build /out/hubspot-conversations-mcp /hubspot-conversations-mcp
USER nonroot:nonroot
# stdio by default (docker run -i). For a team server set MCP_TRANSPORT=http:
# it listens on all interfaces of the container and, being off loopback,
# refuses to start without MCP_AUTH_TOKEN.
ENV MCP_ADDR=0.0.0.0:8080
EXPOSE 8080
# The health check sees the container's environment, not the entrypoint's
# arguments: set MCP_TRANSPORT with -e (not --transport) for it to probe
# /healthz. It needs no HubSpot token, so --sandbox containers pass too.
HEALTHCHECK --interval=30s --timeout=5s CMD ["/hubspot-conversations-mcp", "healthcheck"]
ENTRYPOINT ["/hubspot-conversations-mcp"]
