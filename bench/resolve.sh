#!/usr/bin/env bash
# POST /api/v1/resolve latency at catalogue scale (default 100,000 software) against the packaged
# node over loopback. Builds the node first.   bench/resolve.sh [N]
# The node runs with the JVM options the README recommends for portal-facing nodes (ZGC: G1's
# young pauses of 20-60 ms on this 2-core machine were most of the p99); override with
# PANCAT_NODE_JVM_OPTIONS="" to measure JVM defaults.
# Prints p50/p90/p99 per request type and writes bench/results/resolve-<N>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp package -DskipTests -Dspotless.check.skip=true
./mvnw -B -q -ntp test-compile -Dspotless.check.skip=true
./mvnw -B -q -ntp exec:java -Dexec.classpathScope=test \
  "-Dpancat.node.jvm-options=${PANCAT_NODE_JVM_OPTIONS--XX:+UseZGC}" \
  -Dexec.mainClass=org.pancat.resolve.ResolveBenchmark -Dexec.args="${1:-100000}"
