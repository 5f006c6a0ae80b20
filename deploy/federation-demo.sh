#!/usr/bin/env bash
# Three pancat nodes on this machine — ESRF on :8081, DESY on :8082, PSI on :8083 — each with the
# embedded defaults in its own data directory, peered in a triangle. Registers a software on ESRF
# and shows it reaching DESY and PSI (through notify: in about a second), with the peer status.
#
#   deploy/federation-demo.sh [DIR]      start (DIR default /tmp/pancat-federation-demo)
#   deploy/federation-demo.sh stop [DIR] stop the three nodes
#
# Needs JDK 17+ and curl. Builds the node if target/quarkus-app is missing. The nodes keep running
# after the script ends (logs in DIR/<node>/node.log); `stop` ends them.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
if [ "${1:-}" = stop ]; then ACTION=stop; shift; else ACTION=start; fi
DIR=${1:-/tmp/pancat-federation-demo}
NODES=(esrf desy psi)
declare -A PORT=([esrf]=8081 [desy]=8082 [psi]=8083)
JAR=$ROOT/target/quarkus-app/quarkus-run.jar

stop_node() {
  local pidfile=$DIR/$1/pid
  if [ -f "$pidfile" ]; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    while kill -0 "$(cat "$pidfile")" 2>/dev/null; do sleep 0.2; done
    rm -f "$pidfile"
  fi
}

start_node() {
  mkdir -p "$DIR/$1"
  (
    cd "$DIR/$1" || exit 1
    QUARKUS_HTTP_PORT=${PORT[$1]} \
      PANCAT_FEDERATION_NODE_ID=$1 \
      PANCAT_FEDERATION_NODE_NAME="$1 demo node" \
      PANCAT_FEDERATION_NODE_BASE_URL=http://127.0.0.1:${PORT[$1]} \
      PANCAT_FEDERATION_PEERS_FILE=peers.yaml \
      PANCAT_CATALOGUE_DEMO_LOAD=never \
      PANCAT_ACCESS_DEV_ISSUER_ENABLED=true \
      nohup java -jar "$JAR" >node.log 2>&1 &
    echo $! >pid
  )
}

wait_ready() {
  for _ in $(seq 1 180); do
    curl -sf "localhost:${PORT[$1]}/q/health/ready" >/dev/null && return 0
    sleep 0.5
  done
  echo "node $1 did not start; see $DIR/$1/node.log" >&2
  exit 1
}

token() { # node subject facility roles
  java "$ROOT/deploy/MintToken.java" --key-dir "$DIR/$1/data/dev-issuer" --sub "$2" \
    ${3:+--facility "$3"} --roles "$4" --ttl 600
}

if [ $ACTION = stop ]; then
  for n in "${NODES[@]}"; do stop_node "$n"; done
  echo "stopped; data left in $DIR"
  exit 0
fi

[ -f "$JAR" ] || ./mvnw -B -q -ntp package -DskipTests -Dspotless.check.skip=true
for n in "${NODES[@]}"; do stop_node "$n"; done

echo "1. each node's id and signing key, made offline (keys init), before any node starts"
declare -A FP
for n in "${NODES[@]}"; do
  mkdir -p "$DIR/$n"
  FP[$n]=$(cd "$DIR/$n" && java -jar "$JAR" keys init --node-id "$n" | sed -n 's/^fingerprint: //p')
  echo "   $n key ${FP[$n]}"
done

echo "2. peers files: every node pulls the other two, pinning their keys"
for n in "${NODES[@]}"; do
  {
    echo "peers:"
    for p in "${NODES[@]}"; do
      [ "$p" = "$n" ] && continue
      printf '  - id: %s\n    baseUrl: http://127.0.0.1:%s\n    keys: [%s]\n    interval: PT30S\n' \
        "$p" "${PORT[$p]}" "${FP[$p]}"
    done
  } >"$DIR/$n/peers.yaml"
done
for n in "${NODES[@]}"; do start_node "$n"; done
for n in "${NODES[@]}"; do wait_ready "$n"; done

echo "3. each node registers its facility; ESRF registers a software"
for n in "${NODES[@]}"; do
  curl -sf -o /dev/null -X PUT "localhost:${PORT[$n]}/api/v1/facilities/$n" \
    -H "Authorization: Bearer $(token "$n" root "" admin)" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$n\"}"
done
SLUG=demo-tool-$(date +%s)
ALICE=$(token esrf alice esrf publisher)
sleep 2 # let the facilities settle everywhere, so the timing below is of one change
START=$(date +%s%N)
curl -sf -o /dev/null -X PUT "localhost:8081/api/v1/software/esrf/$SLUG" \
  -H "Authorization: Bearer $ALICE" -H 'Content-Type: application/json' \
  -d '{"name":"Demo tool","licence":"MIT","techniques":["SAXS"],"keywords":["federation-demo"]}'

echo "4. waiting for esrf/$SLUG on DESY and PSI"
for n in desy psi; do
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "localhost:${PORT[$n]}/api/v1/software/esrf/$SLUG" && break
    sleep 0.1
  done
  curl -sf -o /dev/null "localhost:${PORT[$n]}/api/v1/software/esrf/$SLUG" ||
    { echo "not on $n after 60 s; see $DIR/$n/node.log" >&2; exit 1; }
  echo "   on $n after $(( ($(date +%s%N) - START) / 1000000 )) ms"
done
echo "   searched on PSI, the hit names the node it came from:"
sleep 1; curl -sf "localhost:8083/api/v1/software?facility=esrf&technique=SAXS" | grep -o '"id":"esrf/[^"]*"\|"origin":"[^"]*"' | head -2
echo "5. DESY's view of its peers:"
curl -sf "localhost:8082/api/v1/federation/peers" -H "Authorization: Bearer $(token desy root "" admin)"
echo
echo "nodes running: ESRF :8081, DESY :8082, PSI :8083; stop with: $0 stop $DIR"
