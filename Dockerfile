# syntax=docker/dockerfile:1
#
# tilebag in a container: one static-enough binary (glibc + libgcc) on distroless.
#
#   docker build -t tilebag .
#   docker run -p 8080:8080 -v tilebag-data:/data tilebag
#
# The image runs `tilebag serve` as the distroless `nonroot` user (uid/gid 65532), listening on
# 0.0.0.0:8080, with SQLite and imported lexicons under /data (mount a volume there). Any other
# subcommand runs the same way: `docker run --rm -v tilebag-data:/data tilebag migrate`.

FROM rust:1-bookworm AS builder
WORKDIR /src
COPY . .
# The cache mounts keep downloaded crates and compiled dependencies between builds (BuildKit,
# or podman/buildah); the binary is copied out of the cached target directory in the same step.
# /staging/data becomes /data in the final image, owned by the runtime user, so that a named
# volume mounted there starts out writable by it.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p tilebag \
    && install -D -m 0755 target/release/tilebag /out/tilebag \
    && install -d -m 0750 /staging/data

# Distroless "cc": glibc, libgcc, CA certificates and tzdata, no shell and no package manager.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=builder /out/tilebag /usr/local/bin/tilebag
COPY --from=builder --chown=65532:65532 /staging/ /
WORKDIR /data
ENV TILEBAG_DATA_DIR=/data \
    TILEBAG_LISTEN=0.0.0.0:8080
# 8080: plain HTTP (TILEBAG_LISTEN), for a TLS-terminating proxy in front (then also set
# TILEBAG_SECURE_COOKIES=true). 443 and 80: HTTPS and its redirect/ACME port when the server
# does TLS itself (`serve --domain example.org --acme-email you@example.org`, certificates kept
# in /data/tls). The non-root user may bind them: Docker 20.10+ sets
# net.ipv4.ip_unprivileged_port_start=0 in a container's own network namespace.
EXPOSE 8080 443 80
# No HEALTHCHECK: distroless has no shell, curl or wget to run one with, and tilebag has no
# self-check subcommand. Orchestrators probe GET /healthz and GET /readyz over HTTP instead
# (see deploy/kubernetes).
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/tilebag"]
CMD ["serve"]
