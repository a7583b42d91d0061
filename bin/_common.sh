# Shared by bin/demo, bin/test and .ci/run (sourced, not run).
# Finds a Python >= 3.12 and prepares .venv with the project installed.

find_python() {
  local candidates=()
  [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
  candidates+=(python3.13 python3.12 python3)
  for dir in "$HOME"/.pyenv/versions/3.1[2-9]* /usr/local/bin /usr/bin; do
    for exe in "$dir"/bin/python3 "$dir"/python3.13 "$dir"/python3.12; do
      [ -x "$exe" ] && candidates+=("$exe")
    done
  done
  for py in "${candidates[@]}"; do
    if "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
      echo "$py"
      return 0
    fi
  done
  echo "Strategiportalen needs Python 3.12 or newer; none was found." >&2
  echo "Install it (e.g. 'apt-get install python3.12 python3.12-venv') or set PYTHON=/path/to/python3.12." >&2
  return 1
}

ensure_venv() {
  local extras="${1:-}"
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
    rm -rf .venv
    local py
    py=$(find_python)
    if ! "$py" -m venv .venv 2>/dev/null; then
      # Debian and Ubuntu ship venv separately (python3.12-venv); install it when we can.
      rm -rf .venv
      local minor
      minor=$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
      if command -v apt-get >/dev/null; then
        apt_install "python${minor}-venv" || apt_install python3-venv
      fi
      "$py" -m venv .venv
    fi
  fi
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet --editable ".${extras}"
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Needs root to run: $*" >&2
    return 1
  fi
}

apt_install() {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# WeasyPrint (the status report's PDF) needs Pango and HarfBuzz from the system, and a font.
ensure_report_libraries() {
  if .venv/bin/python -c 'import weasyprint' >/dev/null 2>&1; then
    return 0
  fi
  if command -v apt-get >/dev/null; then
    echo "Installerer Pango til statusrapportens PDF (apt) ..."
    apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core ||
      echo "Pango kunne ikke installeres; statusrapporten kan ikke dannes som PDF." >&2
  else
    echo "WeasyPrint mangler Pango (se https://doc.courtbouillon.org/weasyprint/stable/first_steps.html)." >&2
  fi
}
