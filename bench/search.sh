#!/usr/bin/env bash
# Search latency of the embedded Lucene adapter at catalogue scale (default 100,000 software).
#   bench/search.sh [N]
# Prints p50/p90/p99 per query type and writes bench/results/search-<N>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp test-compile -Dspotless.check.skip=true
./mvnw -B -q -ntp exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=org.pancat.search.SearchBenchmark -Dexec.args="${1:-100000}"
