# syntax=docker/dockerfile:1

# Build stage: a static binary, so that the final stage needs no libc of a
# particular version. It runs on the build machine's platform and
# cross-compiles for the target's, so a multi-platform image (the release
# workflow builds linux/amd64 and linux/arm64) compiles natively, not under
# emulation.
FROM --platform=$BUILDPLATFORM golang:1.26-alpine AS build
ARG TARGETOS TARGETARCH
# The release tag (v0.1.0), which `ftgate version` prints; empty for a local
# build, which then reports its module version.
ARG VERSION=
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# scripts/release.sh builds the release archives with these same flags, and
# scripts/ci.d/30-action.sh checks the result is static; keep them in step.
ENV CGO_ENABLED=0
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w -X github.com/ftgate/ftgate/internal/cli.stampedVersion=$VERSION" -o /out/ftgate ./cmd/ftgate

# Final stage: the binary, git (ftgate diffs and reads trees through it)
# and CA certificates (the GitHub API). No USER: the runner mounts the
# workspace owned by root, and the container must be able to read and write
# it.
FROM alpine:3.22
RUN apk add --no-cache git ca-certificates
COPY --from=build /out/ftgate /usr/local/bin/ftgate
# The workspace is mounted from the runner, owned by another user than the
# container's root, which git refuses ("dubious ownership") unless the
# directory is marked safe. The Action's args follow as "$@".
ENTRYPOINT ["/bin/sh", "-c", "if [ -n \"${GITHUB_WORKSPACE:-}\" ]; then git config --global --add safe.directory \"$GITHUB_WORKSPACE\"; fi; exec /usr/local/bin/ftgate \"$@\"", "ftgate"]
