#!/bin/sh
# Remakes the README's pictures of the HTML summary (docs/summary-*.png) from the budget
# samples: headless Chromium screenshots at a phone's width (375 px, English and Japanese)
# and a desktop's (1200 px), the window as tall as the picture (the KGI cards). Needs
# chromium on PATH.
set -eu
cd "$(dirname "$0")/.."
cargo build --quiet
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for lang in en ja; do
  ./target/debug/kpi-report run "samples/budget-$lang.xlsx" --as-of 2026-10-31 --out "$WORK" --quiet
done
shot() { # lang width height output
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --screenshot="$PWD/$4" --window-size="$2,$3" \
    "file://$WORK/budget-$1-summary.html" 2>/dev/null
}
shot en 375 1500 docs/summary-375-en.png
shot ja 375 1470 docs/summary-375-ja.png
shot en 1200 1400 docs/summary-1200-en.png
ls -l docs/summary-*.png
