#!/usr/bin/env bash
# Installs Tributary's build and test dependencies from Debian packages.
# Idempotent: packages already present are skipped by apt. Run as root (or with sudo).
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev
  librdkafka-dev libpq-dev libssl-dev nlohmann-json3-dev prometheus-cpp-dev libgoogle-perftools-dev
  libavro-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format clang-tidy clang libclang-rt-14-dev ccache
  postgresql postgresql-contrib
  mariadb-server-core mariadb-client libmariadb-dev libdeflate-dev
  openjdk-17-jre-headless openjdk-17-jdk-headless maven
  curl python3 python3-pip python3-venv kcat valgrind
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
