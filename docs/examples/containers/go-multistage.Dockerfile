# syntax=docker/dockerfile:1
# A small Go HTTP service, built in one stage and shipped in another.
#   docker build -f go-multistage.Dockerfile -t hello-go:dev go-app/
# Base images are build arguments, so CI can pass digest-pinned references:
#   --build-arg GO_IMAGE=golang:1.26-trixie@sha256:<digest from your registry>
ARG GO_IMAGE=golang:1.26-trixie
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian13:nonroot

# The build stage runs on the builder's own platform ($BUILDPLATFORM): the Go compiler
# cross-compiles for each target, so no stage runs under QEMU emulation.
FROM --platform=$BUILDPLATFORM ${GO_IMAGE} AS build
WORKDIR /src
# Copy only the module file first: this layer stays cached until go.mod changes.
COPY go.mod ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
# Set by BuildKit for each target platform of a multi-platform build (linux/arm64 -> linux, arm64).
ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -trimpath -ldflags="-s -w -buildid=" -o /out/hello .

# Runtime stage: no shell, no package manager, only the static binary. It takes the
# target platform (the default for FROM), so each platform gets its own base image.
FROM ${RUNTIME_IMAGE}
COPY --from=build /out/hello /hello
# 65532 is the "nonroot" user that distroless images define.
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/hello"]
