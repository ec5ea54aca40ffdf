#!/usr/bin/env bash
# Renders roll-up workbooks as a committee member sees them printed: LibreOffice (headless,
# a private profile, on private copies) → PDF → one PNG per page, for a human look.
#
#   scripts/render_rollups.sh ROLLUP_DIR [OUT_DIR] [DPI]
#   scripts/render_rollups.sh demo/outputs/rollups/2569-Q2            # → ROLLUP_DIR/rendered
#   scripts/render_rollups.sh demo/outputs/rollups/2569-Q2 /tmp/look 80
#
# Needs soffice (libreoffice-calc), pdftoppm and pdftotext (poppler-utils); see REAL_CLIENTS.md.
set -euo pipefail

if [[ $# -lt 1 || ! -d "$1" ]]; then
    echo "usage: $0 ROLLUP_DIR [OUT_DIR] [DPI]" >&2
    exit 2
fi
source_dir=$(cd "$1" && pwd)
out_dir=${2:-$source_dir/rendered}
dpi=${3:-60}
for tool in soffice pdftoppm; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 2; }
done

work=$(mktemp -d /tmp/render-rollups.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/copies" "$work/pdf" "$out_dir"
# Copies: a leftover .~lock file beside a workbook makes LibreOffice skip it without a word.
cp "$source_dir"/*.xlsx "$work/copies/"
soffice --headless "-env:UserInstallation=file://$work/profile" \
    --convert-to pdf --outdir "$work/pdf" "$work"/copies/*.xlsx >"$work/soffice.log" 2>&1 || {
    cat "$work/soffice.log" >&2
    exit 1
}
for pdf in "$work"/pdf/*.pdf; do
    name=$(basename "$pdf" .pdf)
    cp "$pdf" "$out_dir/$name.pdf"
    rm -f "$out_dir/$name"-*.png
    pdftoppm -png -r "$dpi" "$pdf" "$out_dir/$name"
    pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
    echo "$name: ${pages:-?} pages → $out_dir/$name-*.png"
done
