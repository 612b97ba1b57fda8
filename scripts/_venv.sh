# Shared by scripts/demo and scripts/test: a virtual environment with a recent pip.
make_venv() {
  local venv=$1
  local python=${PYTHON:-python3}
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Brique needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)." >&2
    exit 1
  fi
  if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
  fi
  pip_install "$venv" --upgrade pip
}

# Editable installs of every first-party component package under plugins/.
first_party_plugins() {
  for dir in plugins/*/; do
    [ -f "$dir/setup.cfg" ] || continue
    # A plugin's test extra (its test-only dependencies) comes with it.
    if grep -q '^test =' "$dir/setup.cfg"; then printf -- '-e %s[test] ' "$dir"; else printf -- '-e %s ' "$dir"; fi
  done
  return 0
}

# pip install, keeping its exit status but hiding the index-location warnings of some machines.
pip_install() {
  local venv=$1; shift
  local log
  log=$(mktemp)
  if "$venv/bin/pip" install -q "$@" >"$log" 2>&1; then
    grep -v '^WARNING: Location' "$log" || true
    rm -f "$log"
  else
    cat "$log" >&2
    rm -f "$log"
    return 1
  fi
}
