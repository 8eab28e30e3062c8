#!/usr/bin/env bash
# Builds keycloak-app-users and runs it in a local Keycloak with the demo realm.
# Needs only Java 17+ and Maven (plus psql/createdb for --db postgres). See ./run.sh --help.
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The one Keycloak version of the project: the property keycloak.version of pom.xml.
KEYCLOAK_VERSION="$(sed -n 's:.*<keycloak\.version>\([^<]*\)</keycloak\.version>.*:\1:p' "${PROJECT_DIR}/pom.xml" | head -n 1)"
if [[ -z "$KEYCLOAK_VERSION" ]]; then
  printf '[run.sh] error: no <keycloak.version> property in %s\n' "${PROJECT_DIR}/pom.xml" >&2
  exit 1
fi
DIST_ARTIFACT="org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:tar.gz"
DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

RUN_DIR="${PROJECT_DIR}/.run"
KC_HOME="${RUN_DIR}/keycloak-${KEYCLOAK_VERSION}"
JAR="${PROJECT_DIR}/target/keycloak-app-users.jar"

usage() {
  cat <<EOF
Usage: ./run.sh [options] [-- extra 'kc.sh start' options]

Builds the extension JAR, fetches Keycloak ${KEYCLOAK_VERSION} from Maven Central into .run/
(once), installs the JAR and the realms of realm-config/, starts the example function server
(examples/function-server/, on 127.0.0.1:${FUNCTION_PORT:-8099}, log in .run/function-server.log;
it also serves the demo web app examples/demo-app/ at http://localhost:${FUNCTION_PORT:-8099}/app/) and
then Keycloak in the foreground (Ctrl-C stops both). Running it again reuses the downloaded
distribution and the data.

Options:
  --db dev-file|postgres  Database (default: dev-file = embedded H2 file in
                          .run/keycloak-${KEYCLOAK_VERSION}/data/h2, kept between runs; env APP_USERS_DB)
  --postgres              Same as --db postgres
  --no-start              Do everything (build, fetch, install, kc.sh build) but do not start
  --skip-build            Do not run Maven on the project; use the existing target/keycloak-app-users.jar
  --no-functions          Do not start the example function server (the demo realm's functions
                          demo-login and hello then fail with function_failed, and there is no demo app)
  -h, --help              Show this help
  --                      Everything after it goes to 'kc.sh start' as is
                          (for example: -- --log-level=io.github.appusers:debug)

Environment:
  PORT                    HTTP port (default 8080)
  MANAGEMENT_PORT         Management port for /health (default 9000)
  FUNCTION_PORT           Port of the example function server (default 8099; the demo realm's
                          functions call 127.0.0.1:8099, change them too if you change it)
  FUNCTION_SECRET         Secret of the example function server (default
                          demo-function-secret-change-me, as in the demo realm)
  APP_USERS_DB            Database, like --db (default dev-file)
  PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD
                          PostgreSQL connection for --db postgres (defaults 127.0.0.1, 5432,
                          app_users, postgres, no password); the database is created if missing
  KC_BOOTSTRAP_ADMIN_USERNAME, KC_BOOTSTRAP_ADMIN_PASSWORD
                          Temporary admin of the master realm, created on the first start only
                          (default admin / admin)

To start from scratch, stop Keycloak and delete .run/ (and, for PostgreSQL, drop the database).
EOF
}

log() { printf '[run.sh] %s\n' "$*" >&2; }
die() { printf '[run.sh] error: %s\n' "$*" >&2; exit 1; }

DB="${APP_USERS_DB:-dev-file}"
START=true
BUILD=true
FUNCTIONS=true
EXTRA_START_ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --db) [[ $# -ge 2 ]] || die "--db needs a value (dev-file or postgres)"; DB="$2"; shift 2 ;;
    --db=*) DB="${1#--db=}"; shift ;;
    --postgres) DB=postgres; shift ;;
    --no-start) START=false; shift ;;
    --skip-build) BUILD=false; shift ;;
    --no-functions) FUNCTIONS=false; shift ;;
    --) shift; EXTRA_START_ARGS=("$@"); break ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
case "$DB" in
  dev-file|h2) DB=dev-file ;;
  postgres|postgresql) DB=postgres ;;
  *) die "unsupported database '$DB' (use dev-file or postgres)" ;;
esac

PORT="${PORT:-8080}"
MANAGEMENT_PORT="${MANAGEMENT_PORT:-9000}"
FUNCTION_PORT="${FUNCTION_PORT:-8099}"
FUNCTION_SECRET="${FUNCTION_SECRET:-demo-function-secret-change-me}"
FUNCTION_SERVER="${PROJECT_DIR}/examples/function-server/FunctionServer.java"
DEMO_APP_DIR="${PROJECT_DIR}/examples/demo-app"
FUNCTION_LOG="${RUN_DIR}/function-server.log"
# Exported only for 'kc.sh start' (kc.sh build would warn about run-time options).
ADMIN_USER="${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}"
ADMIN_PASSWORD="${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}"
unset KC_BOOTSTRAP_ADMIN_USERNAME KC_BOOTSTRAP_ADMIN_PASSWORD

# --- prerequisites ------------------------------------------------------------------------
command -v java >/dev/null 2>&1 || die "java not found (Java 17 or newer is needed)"
command -v mvn >/dev/null 2>&1 || die "mvn not found (Maven is needed)"
java_major="$(java -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1)"
if [[ -n "$java_major" && "$java_major" -lt 17 ]]; then
  die "Java 17 or newer is needed (found Java $java_major)"
fi

cd "$PROJECT_DIR"

# --- 1. the extension JAR ------------------------------------------------------------------
if $BUILD; then
  log "Building the extension (mvn -B -q package -DskipTests)"
  mvn -B -q package -DskipTests
fi
[[ -f "$JAR" ]] || die "$JAR is missing (run without --skip-build)"

# --- 2. the Keycloak distribution (once) ----------------------------------------------------
if [[ ! -f "${KC_HOME}/bin/kc.sh" ]]; then
  [[ ! -e "$KC_HOME" ]] || die "${KC_HOME} exists but holds no Keycloak (bin/kc.sh); move it away and run again"
  log "Fetching Keycloak ${KEYCLOAK_VERSION} (${DIST_ARTIFACT}) with Maven"
  mkdir -p "${RUN_DIR}/download"
  # Run outside the project so that this step does not depend on the project's POM.
  (cd "${RUN_DIR}/download" && mvn -B -q "${DEPENDENCY_PLUGIN}:copy" \
      -Dartifact="${DIST_ARTIFACT}" -DoutputDirectory="${RUN_DIR}/download")
  archive="${RUN_DIR}/download/keycloak-quarkus-dist-${KEYCLOAK_VERSION}.tar.gz"
  [[ -f "$archive" ]] || die "download failed: $archive not found"
  log "Unpacking into ${KC_HOME}"
  # Unpacked aside and moved in one step, so an interrupted run never leaves half a distribution.
  tmp="${RUN_DIR}/unpack.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  tar -xzf "$archive" -C "$tmp"
  mv "$tmp/keycloak-${KEYCLOAK_VERSION}" "$KC_HOME"
  rm -rf "$tmp" "${RUN_DIR}/download"   # Maven keeps its own copy in the local repository
else
  log "Reusing ${KC_HOME}"
fi

# --- 3. provider and realms ----------------------------------------------------------------
mkdir -p "${KC_HOME}/providers" "${KC_HOME}/data/import"
# Copied only when it changed: Keycloak refuses 'start --optimized' when a provider JAR is newer
# than the last 'kc.sh build'.
if ! cmp -s "$JAR" "${KC_HOME}/providers/keycloak-app-users.jar"; then
  log "Installing ${JAR#"${PROJECT_DIR}/"} into providers/"
  cp "$JAR" "${KC_HOME}/providers/keycloak-app-users.jar"
fi
shopt -s nullglob
realm_files=("${PROJECT_DIR}"/realm-config/*.json)
shopt -u nullglob
if [[ ${#realm_files[@]} -gt 0 ]]; then
  cp "${realm_files[@]}" "${KC_HOME}/data/import/"
fi

# --- 4. database -----------------------------------------------------------------------------
DB_START_ARGS=()
if [[ "$DB" == postgres ]]; then
  PGHOST="${PGHOST:-127.0.0.1}"
  PGPORT="${PGPORT:-5432}"
  PGDATABASE="${PGDATABASE:-app_users}"
  PGUSER="${PGUSER:-postgres}"
  export PGHOST PGPORT PGUSER
  [[ "$PGDATABASE" =~ ^[A-Za-z0-9_]+$ ]] || die "PGDATABASE may only contain letters, digits and _"
  if command -v psql >/dev/null 2>&1; then
    if ! exists="$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '${PGDATABASE}'")"; then
      die "cannot reach PostgreSQL at ${PGHOST}:${PGPORT} as ${PGUSER}"
    fi
    if [[ "$exists" != 1 ]]; then
      log "Creating the PostgreSQL database ${PGDATABASE}"
      if command -v createdb >/dev/null 2>&1; then
        createdb "$PGDATABASE"
      else
        psql -d postgres -qc "CREATE DATABASE \"${PGDATABASE}\""
      fi
    fi
  else
    log "psql not found: assuming the database ${PGDATABASE} exists"
  fi
  DB_START_ARGS=(--db-url="jdbc:postgresql://${PGHOST}:${PGPORT}/${PGDATABASE}" --db-username="${PGUSER}")
  if [[ -n "${PGPASSWORD:-}" ]]; then
    DB_START_ARGS+=(--db-password="${PGPASSWORD}")
  fi
fi

# --- 5. kc.sh build (only when the JAR or the build options changed) -----------------------
# declarative-ui: the admin console tabs "App users" and "App users functions" (realm settings).
BUILD_ARGS=(--db="$DB" --health-enabled=true --features=declarative-ui)
stamp_file="${KC_HOME}/.app-users-build"
jar_sum="$( (sha256sum "${KC_HOME}/providers/keycloak-app-users.jar" 2>/dev/null || shasum -a 256 "${KC_HOME}/providers/keycloak-app-users.jar") | cut -d' ' -f1)"
stamp="${jar_sum} ${BUILD_ARGS[*]}"
if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp" \
      && ! "${KC_HOME}/providers/keycloak-app-users.jar" -nt "$stamp_file" ]]; then
  log "Keycloak is already built for this JAR and --db=${DB}"
else
  log "Running kc.sh build ${BUILD_ARGS[*]}"
  rm -f "$stamp_file"
  "${KC_HOME}/bin/kc.sh" build "${BUILD_ARGS[@]}"
  printf '%s' "$stamp" > "$stamp_file"
fi

# --- 6. start ------------------------------------------------------------------------------
BASE="http://localhost:${PORT}"
cat <<EOF

  keycloak-app-users on Keycloak ${KEYCLOAK_VERSION} (database: ${DB})
  Admin console:    ${BASE}/admin/   login ${ADMIN_USER} / ${ADMIN_PASSWORD} (created on the first start)
  Demo account:     ${BASE}/realms/demo/account/
  OIDC discovery:   ${BASE}/realms/demo/.well-known/openid-configuration
  Health:           http://localhost:${MANAGEMENT_PORT}/health/ready
  Anonymous login:  curl -d grant_type=urn:app-users:grant-type:anonymous -d client_id=demo-app ${BASE}/realms/demo/protocol/openid-connect/token
  Function login:   curl -d grant_type=urn:app-users:grant-type:custom-function -d client_id=demo-app -d function=demo-login --data-urlencode 'payload={"username":"alice","pin":"1234"}' ${BASE}/realms/demo/protocol/openid-connect/token
  Function server:  $($FUNCTIONS && echo "http://127.0.0.1:${FUNCTION_PORT} (examples/function-server/, log .run/function-server.log)" || echo "not started (--no-functions)")
  Demo app:         $($FUNCTIONS && echo "http://localhost:${FUNCTION_PORT}/app/ (examples/demo-app/)" || echo "not served (--no-functions)")
  Emails of realm demo go to SMTP localhost:1025 (run a mail catcher such as Mailpit or MailHog there).

EOF

if ! $START; then
  log "--no-start: everything is ready; start it with ./run.sh --skip-build$([[ "$DB" == postgres ]] && echo ' --db postgres')"
  exit 0
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if port_in_use "$PORT"; then
  die "port ${PORT} is already in use (set PORT=... to use another one)"
fi
if port_in_use "$MANAGEMENT_PORT"; then
  die "management port ${MANAGEMENT_PORT} is already in use (set MANAGEMENT_PORT=... to use another one)"
fi

# --- 7. the example function server (background) and Keycloak (foreground) -----------------
# Both run as children of this script: Ctrl-C (or a TERM to this script) stops Keycloak
# cleanly, and the function server goes with it however the script ends.
FUNCTION_PID=""
KEYCLOAK_PID=""
stop_children() {
  if [[ -n "$KEYCLOAK_PID" ]] && kill -0 "$KEYCLOAK_PID" 2>/dev/null; then
    kill -TERM "$KEYCLOAK_PID" 2>/dev/null || true
    wait "$KEYCLOAK_PID" 2>/dev/null || true
  fi
  if [[ -n "$FUNCTION_PID" ]] && kill -0 "$FUNCTION_PID" 2>/dev/null; then
    log "Stopping the function server"
    kill -TERM "$FUNCTION_PID" 2>/dev/null || true
    wait "$FUNCTION_PID" 2>/dev/null || true
  fi
}
trap stop_children EXIT
# Background jobs of a script ignore SIGINT, so Ctrl-C reaches only this script: hand it on to
# Keycloak as the TERM that kc.sh forwards to its JVM (a clean Quarkus shutdown).
trap 'if [[ -n "$KEYCLOAK_PID" ]]; then kill -TERM "$KEYCLOAK_PID" 2>/dev/null || true; else exit 130; fi' INT TERM HUP

if $FUNCTIONS; then
  if port_in_use "$FUNCTION_PORT"; then
    log "port ${FUNCTION_PORT} is already in use: not starting the example function server (the demo realm's functions call whatever listens there)"
  else
    log "Starting the example function server on 127.0.0.1:${FUNCTION_PORT} (log: ${FUNCTION_LOG#"${PROJECT_DIR}/"})"
    mkdir -p "$RUN_DIR"
    FUNCTION_PORT="$FUNCTION_PORT" FUNCTION_SECRET="$FUNCTION_SECRET" \
      DEMO_APP_DIR="$DEMO_APP_DIR" DEMO_KEYCLOAK_URL="$BASE" \
      java "$FUNCTION_SERVER" >>"$FUNCTION_LOG" 2>&1 </dev/null &
    FUNCTION_PID=$!
    if [[ "$FUNCTION_PORT" != 8099 || "$FUNCTION_SECRET" != demo-function-secret-change-me ]]; then
      log "note: the demo realm's functions call 127.0.0.1:8099 with the default secret, and demo-app's web origins are for port 8099; update them (examples/function-server/README.md)"
    fi
    # The source launcher compiles it first (a second or two); Keycloak takes longer to start anyway.
    for _ in {1..100}; do
      port_in_use "$FUNCTION_PORT" && break
      kill -0 "$FUNCTION_PID" 2>/dev/null || break
      sleep 0.2
    done
    if ! kill -0 "$FUNCTION_PID" 2>/dev/null; then
      FUNCTION_PID=""
      log "warning: the example function server did not start; see ${FUNCTION_LOG}"
    elif ! port_in_use "$FUNCTION_PORT"; then
      log "warning: the example function server is not listening on ${FUNCTION_PORT} yet; see ${FUNCTION_LOG}"
    fi
  fi
fi

log "Starting Keycloak (Ctrl-C stops it)"
cd "$KC_HOME"
export KC_BOOTSTRAP_ADMIN_USERNAME="$ADMIN_USER" KC_BOOTSTRAP_ADMIN_PASSWORD="$ADMIN_PASSWORD"
"${KC_HOME}/bin/kc.sh" start --optimized \
  --http-enabled=true --http-port="${PORT}" --http-management-port="${MANAGEMENT_PORT}" \
  --hostname-strict=false --import-realm --cache=local \
  ${DB_START_ARGS[@]+"${DB_START_ARGS[@]}"} \
  ${EXTRA_START_ARGS[@]+"${EXTRA_START_ARGS[@]}"} &
KEYCLOAK_PID=$!
# 'wait' returns early when a trapped signal arrives; wait again until Keycloak has really ended.
status=0
while :; do
  if wait "$KEYCLOAK_PID"; then status=0; else status=$?; fi
  kill -0 "$KEYCLOAK_PID" 2>/dev/null || break
done
KEYCLOAK_PID=""
exit "$status"
