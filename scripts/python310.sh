#!/usr/bin/env bash
# Prints the Python 3.10 interpreter for the Rasa engine's environment.
# Prefers a pyenv-installed 3.10 (uv does not look inside pyenv unless told);
# otherwise prints "3.10" and uv finds or downloads one.
set -euo pipefail
root="${PYENV_ROOT:-$HOME/.pyenv}"
for candidate in $(ls -d "$root"/versions/3.10.* 2>/dev/null | sort -V -r); do
  if [ -x "$candidate/bin/python3.10" ]; then
    echo "$candidate/bin/python3.10"
    exit 0
  fi
done
if command -v python3.10 >/dev/null 2>&1 && python3.10 -c 'import sys' >/dev/null 2>&1; then
  command -v python3.10
  exit 0
fi
echo "3.10"
