#!/usr/bin/env bash
# Federation feed throughput and lag between packaged nodes on this machine: entries exported per
# second, verified and applied per second (target >= 5,000) at N entries (default 100,000), and
# the lag of a commit on a to visibility on c through b (target < 2 s).
#   bench/federation.sh [N]                 every node on its embedded H2 database
#   bench/federation.sh [N] --postgresql    the applying nodes on a throw-away PostgreSQL server
#                                           (deploy/with-postgresql.sh; apt-installed if missing)
# Prints the figures and writes bench/results/federation-<N>[-postgresql].txt.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
./mvnw -B -q -ntp package -DskipTests -Dspotless.check.skip=true
./mvnw -B -q -ntp test-compile -Dspotless.check.skip=true
run=(./mvnw -B -q -ntp exec:java -Dexec.classpathScope=test
  -Dexec.mainClass=org.pancat.federation.FederationBenchmark -Dexec.args="$n")
if [ "${2:-}" = "--postgresql" ]; then
  # db-kind is fixed at build time: a second build for PostgreSQL, beside the H2 one
  ./mvnw -B -q -ntp package -DskipTests -Dspotless.check.skip=true \
    -Dquarkus.datasource.db-kind=postgresql -Dquarkus.package.output-directory=pg
  deploy/with-postgresql.sh "${run[@]}" -Dpancat.bench.database=postgresql \
    -Dpancat.bench.pg-jar=target/pg/quarkus-run.jar
else
  "${run[@]}"
fi
