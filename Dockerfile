# plangate serve, the run-task server, as a container: a static binary (musl) on an empty base
# image, run as a non-root user, needing no writable filesystem (run with --read-only). TLS to
# HCP uses the CA roots compiled into the binary, so the image needs no CA bundle.
#
#   docker build -t plangate .
#   docker run --read-only -p 8080:8080 -e PLANGATE_HMAC_KEY=... \
#     -v "$PWD/gate.yaml:/etc/plangate/gate.yaml:ro" plangate
FROM rust:1-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends musl-tools \
    && rm -rf /var/lib/apt/lists/* \
    && rustup target add x86_64-unknown-linux-musl
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p plangate-cli --target x86_64-unknown-linux-musl \
    && cp target/x86_64-unknown-linux-musl/release/plangate /plangate

FROM scratch
COPY --from=build /plangate /plangate
USER 65532:65532
ENV PLANGATE_CONFIG=/etc/plangate/gate.yaml PLANGATE_LISTEN=0.0.0.0:8080
EXPOSE 8080
HEALTHCHECK NONE
ENTRYPOINT ["/plangate", "serve"]
