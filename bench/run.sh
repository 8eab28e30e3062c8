#!/usr/bin/env bash
# Benchmarks our token flows against Keycloak's own on one freshly started server (H2 by default,
# BENCH_DB=postgres for PostgreSQL) and prints requests/s, p50/p99 latency and the ratio to
# client_credentials. Loopback only; every phase is bounded in time.
#   bench/run.sh                      # 8 threads, 10 s warm-up, 3 rounds of 10 s per flow, purge of 5000
#   BENCH_THREADS=4 BENCH_SECONDS=15 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# The one Keycloak version of the project: the property keycloak.version of pom.xml.
kc_version=$(sed -n 's:.*<keycloak\.version>\([^<]*\)</keycloak\.version>.*:\1:p' pom.xml | head -n 1)
[[ -n $kc_version ]] || { echo "no <keycloak.version> property in pom.xml" >&2; exit 1; }
db=${BENCH_DB:-dev-file}

mvn -B -q package -DskipTests
mvn -B -q dependency:unpack -Dartifact=org.keycloak:keycloak-quarkus-dist:${kc_version}:tar.gz \
  -DoutputDirectory=target/bench -Dmdep.overWriteReleases=false
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt -Dmdep.includeScope=test

java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" \
  -Dit.keycloak.home=target/bench/keycloak-${kc_version} \
  -Dbench.keycloak.version="${kc_version}" \
  -Dit.provider.jar=target/keycloak-app-users.jar \
  -Dit.db="$db" -Dit.log.dir=target/bench \
  -Dbench.threads="${BENCH_THREADS:-8}" -Dbench.seconds="${BENCH_SECONDS:-10}" -Dbench.rounds="${BENCH_ROUNDS:-3}" \
  -Dbench.flows="${BENCH_FLOWS:-password,anonymous,custom-function,api-key,custom-data-claim}" \
  -Dbench.warmup.seconds="${BENCH_WARMUP_SECONDS:-10}" -Dbench.purge.users="${BENCH_PURGE_USERS:-5000}" \
  -Dbench.purge.threads="${BENCH_PURGE_THREADS:-${BENCH_THREADS:-8}}" \
  io.github.appusers.bench.GrantBenchmark
