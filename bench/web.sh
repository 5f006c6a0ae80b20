#!/usr/bin/env bash
# How fast the pages answer at the demo scale: a packaged node (embedded H2 and Lucene, the 48
# demo software), each page asked for N times (default 500) after as many warm-up requests,
# anonymous and signed in.   bench/web.sh [requests]
# Prints the median, 90th and 99th percentile per page and writes bench/results/web.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp package -DskipTests -Dspotless.check.skip=true
./mvnw -B -q -ntp test-compile -Dspotless.check.skip=true
./mvnw -B -q -ntp exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=org.pancat.web.WebBenchmark -Dexec.args="${1:-500}"
