#!/usr/bin/env bash
# Heap of an idle Keycloak with and without our JAR: the same distribution, options and H2
# database, measured after a full GC once the server has been idle for a while.
#   bench/heap.sh                 # 30 s idle
#   HEAP_IDLE_SECONDS=60 bench/heap.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# The one Keycloak version of the project: the property keycloak.version of pom.xml.
kc_version=$(sed -n 's:.*<keycloak\.version>\([^<]*\)</keycloak\.version>.*:\1:p' pom.xml | head -n 1)
[[ -n $kc_version ]] || { echo "no <keycloak.version> property in pom.xml" >&2; exit 1; }
idle=${HEAP_IDLE_SECONDS:-30}
work=target/bench-heap

mvn -B -q package -DskipTests
rm -rf "$work" && mkdir -p "$work"
mvn -B -q dependency:copy -Dartifact=org.keycloak:keycloak-quarkus-dist:${kc_version}:tar.gz -DoutputDirectory="$work"
mkdir -p "$work/dist" && tar -xzf "$work/keycloak-quarkus-dist-${kc_version}.tar.gz" -C "$work/dist"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

measure() { # variant -> prints "used_kib classes"
  local variant=$1 home="$work/$1/keycloak-${kc_version}"
  mkdir -p "$work/$variant" && cp -a "$work/dist/keycloak-${kc_version}" "$work/$variant/"
  if [[ $variant == with ]]; then cp target/keycloak-app-users.jar "$home/providers/"; fi
  "$home/bin/kc.sh" build --db=dev-file --health-enabled=true > "$work/$variant/build.log" 2>&1
  local port mport
  port=$(free_port); mport=$(free_port)
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    "$home/bin/kc.sh" start --optimized --http-enabled=true --http-port="$port" --http-management-port="$mport" \
    --hostname-strict=false --cache=local > "$work/$variant/server.log" 2>&1 &
  local launcher=$!
  for _ in $(seq 240); do
    curl -fs "http://127.0.0.1:$mport/health/ready" > /dev/null 2>&1 && break
    sleep 1
  done
  sleep "$idle"
  local pid
  pid=$(pgrep -f "kc.script.pid=$launcher " | head -1 || true)
  [[ -n $pid ]] || pid=$launcher
  jcmd "$pid" GC.run > /dev/null
  sleep 2
  local used classes
  used=$(jcmd "$pid" GC.heap_info | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+')
  classes=$(jcmd "$pid" PerfCounter.print 2>/dev/null | awk -F= '/^java.cls.loadedClasses=/{l=$2} /^java.cls.unloadedClasses=/{u=$2} END{print l-u}')
  kill "$launcher" 2> /dev/null || true
  kill "$pid" 2> /dev/null || true
  wait "$launcher" 2> /dev/null || true
  echo "$used ${classes:-?}"
}

read -r without_used without_classes < <(measure without)
read -r with_used with_classes < <(measure with)
printf '\nIdle Keycloak %s heap after a full GC (%s s idle, H2, --cache=local), %s cores\n' \
  "$kc_version" "$idle" "$(nproc)"
printf '%-22s %12s %10s\n' "variant" "heap used" "classes"
printf '%-22s %9d KiB %10s\n' "without app-users" "$without_used" "$without_classes"
printf '%-22s %9d KiB %10s\n' "with app-users" "$with_used" "$with_classes"
printf 'difference: %+d KiB\n' "$((with_used - without_used))"
