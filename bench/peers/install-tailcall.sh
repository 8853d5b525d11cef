#!/bin/sh
# Installs the Tailcall peer for `npm run bench:peers` into bench/peers/.tailcall (ignored by git): the npm package
# that ships the 1.6.14 binary, and, where the system's glibc is older than the 2.38 it needs, Debian trixie's libc6
# unpacked into a folder (the binary then runs through that loader; nothing on the system changes).
# Recipe: the project's Tailcall anchor (README next to tailcall-cycle.graphql). Exits non-zero with a message when
# any step cannot run here; the benchmark then skips the peer and says why.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DEST="$HERE/.tailcall"
VERSION=1.6.14
mkdir -p "$DEST"
if [ ! -x "$DEST/node_modules/@tailcallhq/core-linux-x64-gnu/bin/tailcall" ]; then
  [ -f "$DEST/package.json" ] || echo '{"private":true}' > "$DEST/package.json"
  npm install --prefix "$DEST" --no-save --no-audit --no-fund "@tailcallhq/core-linux-x64-gnu@$VERSION" >&2
fi
GLIBC=$(ldd --version 2>/dev/null | head -1 | awk '{print $NF}')
NEEDS_LOADER=$(printf '%s\n2.38\n' "$GLIBC" | sort -V | head -1)
if [ "$NEEDS_LOADER" != "2.38" ] && [ ! -x "$DEST/glibc/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" ]; then
  S=$(mktemp -d)
  trap 'rm -rf "$S"' EXIT
  mkdir -p "$S/lists/partial" "$S/cache/archives/partial"
  M=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources)
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $M trixie main" > "$S/trixie.list"
  O="-o Dir::Etc::sourcelist=$S/trixie.list -o Dir::Etc::sourceparts=- -o Dir::State::Lists=$S/lists -o Dir::Cache=$S/cache"
  # shellcheck disable=SC2086
  apt-get $O update >&2
  # shellcheck disable=SC2086
  (cd "$S" && apt-get $O download libc6 >&2)
  dpkg-deb -x "$S"/libc6_*.deb "$DEST/glibc"
fi
echo "$DEST"
