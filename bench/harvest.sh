#!/usr/bin/env bash
# Harvest throughput of a packaged node (embedded H2): an OCI registry of N tags (default 1000)
# and a signed APT repository of M packages (default 2000; the 250 Debian PaN packages first),
# each harvested from scratch and then again unchanged. Needs docker-registry, reprepro and gnupg
# (apt-installed if missing).   bench/harvest.sh [tags] [packages]
# Prints items per second and writes bench/results/harvest.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in docker-registry reprepro gpg; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq docker-registry reprepro gnupg >/dev/null
    break
  fi
done
./mvnw -B -q -ntp package -DskipTests -Dspotless.check.skip=true
./mvnw -B -q -ntp test-compile -Dspotless.check.skip=true
./mvnw -B -q -ntp exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=org.pancat.harvest.HarvestBenchmark -Dexec.args="${1:-1000} ${2:-2000}"
