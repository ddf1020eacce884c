#!/usr/bin/env bash
# Screenshots of every screen at 1920x1080 and 1280x800 into screenshots/ (make screenshots).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${SCREENSHOT_DIR:-screenshots}"
for size in 1920x1080 1280x800; do
    xvfb-run -a -s "-screen 0 ${size}x24" .venv/bin/python scripts/screenshots.py "$out" "$size" "$@"
done
