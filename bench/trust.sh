#!/usr/bin/env bash
# Signature verification throughput (offline, one thread and all cores) for Sigstore keyless
# bundles (message signature and DSSE) and key-pair signatures.   bench/trust.sh [seconds]
# Prints verifications per second and writes bench/results/trust.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp test-compile -Dspotless.check.skip=true
./mvnw -B -q -ntp exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=org.pancat.trust.TrustBenchmark -Dexec.args="${1:-10}"
