#!/bin/sh
# Remakes the README's pictures of the HTML summary (docs/summary-*.png) from the budget
# samples: headless Chromium screenshots at a phone's width (375 px, English and Japanese)
# and a desktop's (1200 px), the window as tall as the picture (the KGI cards); and of the
# workbook's Monthly sheet (docs/monthly-en.png): the English report through LibreOffice to
# PDF, the page of the Monthly sheet cut to its table with pdftoppm. Needs chromium, soffice
# and pdftoppm/pdftotext (poppler-utils) on PATH.
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
(cd "$WORK" && soffice --headless --convert-to pdf budget-en-report.xlsx >/dev/null 2>&1)
pages=$(pdfinfo "$WORK/budget-en-report.pdf" | awk '/^Pages:/ {print $2}')
for page in $(seq 1 "$pages"); do
  if pdftotext -f "$page" -l "$page" "$WORK/budget-en-report.pdf" - | grep -qx Monthly; then
    pdftoppm -f "$page" -l "$page" -png -r 110 -x 30 -y 40 -W 1760 -H 490 -singlefile \
      "$WORK/budget-en-report.pdf" docs/monthly-en
    break
  fi
done
ls -l docs/summary-*.png docs/monthly-en.png
