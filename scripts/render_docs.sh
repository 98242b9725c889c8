#!/usr/bin/env bash
# Render the pictures in docs/img from the bundled examples: the report's 汇总 and 雷达图, an
# entry template and the annual 结果运用, through LibreOffice (PDF) and pypdfium2 (PNG).
# Needs soffice, and `pip install pypdfium2 pillow`.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --quiet --bin perf
perf=target/debug/perf
"$perf" report examples/units -o "$work/q.xlsx" --timestamp 2026-04-08T09:00:00+08:00 2>/dev/null
"$perf" annual examples/staff --report "$work/a.xlsx" >/dev/null 2>&1 || true
"$perf" template examples/units --period 2026Q1 --rater leader -o "$work/tpl.xlsx" 2>/dev/null
HOME="$work" soffice --headless --norestore --convert-to pdf --outdir "$work" \
  "$work/q.xlsx" "$work/a.xlsx" "$work/tpl.xlsx" >/dev/null 2>&1
python3 - "$work" <<'PY'
import sys
import pypdfium2 as pdfium
work = sys.argv[1]
def save(name, find, out, crop):
    pdf = pdfium.PdfDocument(f"{work}/{name}.pdf")
    page = next(i for i in range(len(pdf)) if find in pdf[i].get_textpage().get_text_range())
    img = pdf[page].render(scale=0.9).to_pil().convert("L")
    w, h = img.size
    img.crop((0, 0, w, int(h * crop))).quantize(colors=16).save(f"docs/img/{out}", optimize=True)
save("q", "考核结果汇总", "report-summary.png", 0.6)
save("q", "类别最高", "report-radar.png", 0.62)
save("tpl", "在白色单元格", "template.png", 0.35)
save("a", "结果运用", "annual-outcomes.png", 0.6)
PY
echo "docs/img rendered"
