#!/usr/bin/env bash
# Builds the container image of keycloak-app-users (container/Dockerfile): Keycloak's distribution
# of the pom's keycloak.version (the Maven Central tarball, through Maven) with our JAR in
# providers/, built with kc.sh build. See docs/container.md.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DOCKER="${DOCKER:-docker}"
DEFAULT_BASE=keycloak-app-users/base:bookworm-jre17
TINY_IMAGE=keycloak-app-users/tiny:busybox
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

usage() {
  cat <<EOF
Usage: container/build-image.sh [options]

Builds the image (default tag keycloak-app-users:<project version>). The base image, when it is
the default one, is made locally from Debian packages the first time (debootstrap, needs root).

  --tag NAME               image name and tag
  --jar FILE               provider JAR (default target/keycloak-app-users.jar: mvn -B package -DskipTests)
  --tarball FILE           keycloak-quarkus-dist tarball (default: Maven copies it from its local
                           repository, or downloads it from Maven Central)
  --keycloak-version V     default: the keycloak.version property of pom.xml
  --base IMAGE             base image with a Java 17+ runtime and a shell (default $DEFAULT_BASE)
  --db VENDOR              database of kc.sh build (default postgres)
  --test-images            also make $TINY_IMAGE, the local image Testcontainers
                           starts instead of pulling alpine (the container test pass)
  --bases-only             only make the local base image and the test image, when missing
  -h, --help               this text

Environment: DOCKER (the docker client, default docker), DEBIAN_MIRROR (default $DEBIAN_MIRROR).
EOF
}

log() { echo "build-image: $*" >&2; }
die() { log "error: $*"; exit 1; }

pom_value() { sed -n "s:^$1\(.*\)</.*:\1:p" "$ROOT/pom.xml" | head -n 1; }

TAG="" JAR="$ROOT/target/keycloak-app-users.jar" TARBALL="" KEYCLOAK_VERSION="" BASE="$DEFAULT_BASE" DB=postgres
TEST_IMAGES=false BASES_ONLY=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tag) TAG="$2"; shift 2 ;;
    --jar) JAR="$2"; shift 2 ;;
    --tarball) TARBALL="$2"; shift 2 ;;
    --keycloak-version) KEYCLOAK_VERSION="$2"; shift 2 ;;
    --base) BASE="$2"; shift 2 ;;
    --db) DB="$2"; shift 2 ;;
    --test-images) TEST_IMAGES=true; shift ;;
    --bases-only) BASES_ONLY=true; TEST_IMAGES=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done

"$DOCKER" info >/dev/null 2>&1 || die "the Docker daemon does not answer to '$DOCKER info' (start dockerd; .ci/run does)"

image_exists() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

# The default base: Debian bookworm with OpenJDK 17's headless runtime, from Debian's packages
# (no image registry needed), imported as a one-layer image.
build_base() {
  [[ "$(id -u)" == 0 ]] || die "making $DEFAULT_BASE needs root (debootstrap); run as root once, or pass --base"
  command -v debootstrap >/dev/null || die "debootstrap is missing (apt-get install debootstrap)"
  local rootfs
  rootfs="$(mktemp -d /var/tmp/keycloak-app-users-base.XXXXXX)"
  log "making $DEFAULT_BASE with debootstrap (a minute or two)"
  if ! debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" "$DEBIAN_MIRROR" \
      >"$rootfs.log" 2>&1; then
    tail -n 20 "$rootfs.log" >&2
    rm -rf "$rootfs"
    die "debootstrap failed (log: $rootfs.log)"
  fi
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | "$DOCKER" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' - "$DEFAULT_BASE" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
}

# Testcontainers starts a tiny image for some checks (alpine by default, from a registry): Debian's
# static busybox with its applet links instead.
build_tiny() {
  local busybox dir
  busybox="$(command -v busybox || true)"
  [[ -n "$busybox" && "$(ldd "$busybox" 2>&1 || true)" == *"not a dynamic"* ]] \
    || die "a static busybox is needed for $TINY_IMAGE (apt-get install busybox-static)"
  dir="$(mktemp -d)"
  mkdir "$dir/bin"
  cp "$busybox" "$dir/bin/busybox"
  for applet in $("$busybox" --list); do
    [[ -e "$dir/bin/$applet" ]] || ln -s busybox "$dir/bin/$applet"
  done
  log "making $TINY_IMAGE from $busybox"
  tar -C "$dir" -c . | "$DOCKER" import --change 'ENV PATH=/bin' - "$TINY_IMAGE" >/dev/null
  rm -rf "$dir"
}

if [[ "$BASE" == "$DEFAULT_BASE" ]] && ! image_exists "$DEFAULT_BASE"; then
  build_base
fi
if [[ "$TEST_IMAGES" == true ]] && ! image_exists "$TINY_IMAGE"; then
  build_tiny
fi
if [[ "$BASES_ONLY" == true ]]; then
  exit 0
fi

KEYCLOAK_VERSION="${KEYCLOAK_VERSION:-$(pom_value '    <keycloak.version>')}"
PROJECT_VERSION="$(pom_value '  <version>')"
[[ -n "$KEYCLOAK_VERSION" ]] || die "no keycloak.version in $ROOT/pom.xml"
TAG="${TAG:-keycloak-app-users:${PROJECT_VERSION}}"
[[ -f "$JAR" ]] || die "$JAR does not exist (mvn -B package -DskipTests)"

# An image of this tag built from the same inputs is kept as it is.
base_id="$("$DOCKER" image inspect --format '{{.Id}}' "$BASE" 2>/dev/null || echo "$BASE")"
build_key="$( { sha256sum "$JAR" | cut -d' ' -f1; sha256sum "$ROOT/container/Dockerfile" | cut -d' ' -f1;
  echo "$KEYCLOAK_VERSION $DB $base_id"; } | sha256sum | cut -d' ' -f1)"
old_id="$("$DOCKER" image inspect --format '{{.Id}}' "$TAG" 2>/dev/null || true)"
if [[ -n "$old_id" && "$("$DOCKER" image inspect --format '{{index .Config.Labels "io.github.appusers.build-key"}}' "$TAG")" == "$build_key" ]]; then
  log "$TAG is up to date (same JAR, Keycloak $KEYCLOAK_VERSION, base and Dockerfile)"
  exit 0
fi

context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
tarball_name="keycloak-quarkus-dist-${KEYCLOAK_VERSION}.tar.gz"
if [[ -n "$TARBALL" ]]; then
  [[ -f "$TARBALL" ]] || die "$TARBALL does not exist"
  ln -f "$TARBALL" "$context/$tarball_name" 2>/dev/null || cp "$TARBALL" "$context/$tarball_name"
else
  log "fetching keycloak-quarkus-dist $KEYCLOAK_VERSION through Maven"
  mvn -B -q -f "$ROOT/pom.xml" dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:tar.gz" \
    -DoutputDirectory="$context" >&2
fi
cp "$JAR" "$context/keycloak-app-users.jar"
cp "$ROOT/container/Dockerfile" "$context/Dockerfile"

log "building $TAG (Keycloak $KEYCLOAK_VERSION, --db=$DB, base $BASE)"
"$DOCKER" build --tag "$TAG" --label "io.github.appusers.build-key=$build_key" \
  --build-arg "BASE_IMAGE=$BASE" --build-arg "KEYCLOAK_VERSION=$KEYCLOAK_VERSION" \
  --build-arg "APP_USERS_VERSION=$PROJECT_VERSION" --build-arg "KC_DB=$DB" "$context" >&2

# What the previous build of this tag left: its image, and the builder stage's (the classic
# builder keeps it as an untagged image). Images still in use by a container stay.
new_id="$("$DOCKER" image inspect --format '{{.Id}}' "$TAG")"
if [[ -n "$old_id" && "$old_id" != "$new_id" ]]; then
  "$DOCKER" image rm "$old_id" >/dev/null 2>&1 || true
fi
"$DOCKER" image prune --force --filter label=io.github.appusers.stage=builder >/dev/null 2>&1 || true
log "built $TAG"
echo "$TAG"
