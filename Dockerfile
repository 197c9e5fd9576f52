# One small image for the pipeline's two long-running stages: `produce` and `consume`.
# Untested here (no Docker engine on the development machines); the steps mirror `just setup`.
#
#   docker build -t ecom-pipeline .
#   docker run --rm -e KAFKA_CONFIG=/config/client.properties -v $PWD/secrets:/config:ro \
#     -e WAREHOUSE=bigquery -e GCP_PROJECT=my-project \
#     -e GOOGLE_APPLICATION_CREDENTIALS=/config/gcp_key.json ecom-pipeline consume
#   docker run --rm -v $PWD/data:/app/data ... ecom-pipeline produce data/events.csv
#
# No credentials are baked in: mount client.properties and the key file at run time.

FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      ca-certificates curl unzip nodejs npm build-essential pkg-config \
      libssl-dev libsasl2-dev libzstd-dev liblz4-dev libcurl4-openssl-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json bun.lock bunfig.toml tsconfig.json ./
# Bun from npm, as `scripts/just` does; then the locked dependencies without dev tools.
RUN npm install --global --no-audit --no-fund "bun@$(node -p "require('./package.json').devDependencies.bun")" \
    && bun install --frozen-lockfile --production
# librdkafka 2.15 from the sources bundled in @confluentinc/kafka-javascript (see lib/setup/tools.ts).
RUN cp -r node_modules/@confluentinc/kafka-javascript/deps/librdkafka /tmp/librdkafka \
    && cd /tmp/librdkafka \
    && ./configure --prefix=/app/.local/librdkafka --enable-ssl --enable-sasl --enable-zstd \
         --enable-lz4-ext --enable-curl --disable-gssapi \
    && make -j"$(nproc)" -C src && make -C src install
COPY lib ./lib
COPY scripts ./scripts
COPY schemas ./schemas

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      ca-certificates libssl3 libsasl2-2 libzstd1 liblz4-1 libcurl4 zlib1g \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 pipeline
COPY --from=build /usr/local/lib/node_modules/bun/bin/bun.exe /usr/local/bin/bun
COPY --from=build --chown=pipeline /app /app
WORKDIR /app
USER pipeline
ENV LIBRDKAFKA_PATH=/app/.local/librdkafka/lib/librdkafka.so.1 \
    METADATA_SERVER_DETECTION=none
# `produce [FILE] [flags]` or `consume [flags]`; `--help` on either lists the options.
ENTRYPOINT ["/bin/sh", "-c", "exec bun scripts/\"$0\".ts \"$@\""]
CMD ["consume", "--help"]
