#!/usr/bin/env bash
# Federation feed throughput and lag between three packaged nodes on this machine:
# entries exported per second, verified and applied per second (target >= 5,000) at N entries
# (default 100,000), and the lag of a commit on a to visibility on c through b (target < 2 s).
#   bench/federation.sh [N]
# Prints the figures and writes bench/results/federation-<N>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp package -DskipTests -Dspotless.check.skip=true
./mvnw -B -q -ntp test-compile -Dspotless.check.skip=true
./mvnw -B -q -ntp exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=org.pancat.federation.FederationBenchmark -Dexec.args="${1:-100000}"
