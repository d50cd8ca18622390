# Sourced by the project's scripts: point the `v8` crate at the V8 library in
# ../shared/v8 when it is there (machines without internet), keep the normal
# download otherwise, and keep build output outside the clone so clean clones
# (CI) reuse it.
_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -f "$_root/../shared/v8/env.sh" ]; then
  # shellcheck disable=SC1091
  . "$_root/../shared/v8/env.sh"
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(cd "$_root/.." && pwd)/target}"
unset _root
