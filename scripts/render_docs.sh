#!/usr/bin/env bash
# Render the pictures in docs/img from the bundled examples: one printed page of every sheet
# of the quarterly report, the trend sheet, the public version, the annual workbook and an
# entry template, through LibreOffice (PDF) and pypdfium2 (PNG).
# Needs soffice, and `pip install pypdfium2 pillow`.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --quiet --bin perf
perf=target/debug/perf
stamp=(--timestamp 2026-04-08T09:00:00+08:00)
"$perf" report examples/units -o "$work/q.xlsx" "${stamp[@]}" 2>/dev/null || true
"$perf" report examples/units --period 2026Q4 -o "$work/t.xlsx" "${stamp[@]}" 2>/dev/null || true
"$perf" report examples/units --public -o "$work/p.xlsx" "${stamp[@]}" 2>/dev/null || true
"$perf" report examples/staff -o "$work/s.xlsx" "${stamp[@]}" 2>/dev/null || true
"$perf" annual examples/staff --report "$work/a.xlsx" >/dev/null 2>&1 || true
"$perf" template examples/units --period 2026Q1 --rater leader -o "$work/tpl.xlsx" 2>/dev/null
HOME="$work" soffice --headless --norestore --convert-to pdf --outdir "$work" \
  "$work/q.xlsx" "$work/t.xlsx" "$work/p.xlsx" "$work/s.xlsx" "$work/a.xlsx" "$work/tpl.xlsx" >/dev/null 2>&1
rm -f docs/img/*.png
python3 - "$work" <<'PY'
import sys
import pypdfium2 as pdfium
work = sys.argv[1]
def save(name, find, out, crop=0.6):
    """The first page of `name`.pdf whose text holds `find`, its top `crop` as a small PNG."""
    pdf = pdfium.PdfDocument(f"{work}/{name}.pdf")
    page = next(i for i in range(len(pdf)) if find in pdf[i].get_textpage().get_text_range())
    img = pdf[page].render(scale=0.8).to_pil().convert("L")
    w, h = img.size
    img.crop((0, 0, w, int(h * crop))).quantize(colors=16).save(f"docs/img/{out}", optimize=True)
# The quarterly report, a page of each sheet (数据问题 and 整改清单 from the staff example,
# which has some).
save("q", "考核结果汇总", "report-summary.png")
save("q", "类别排名", "report-by-category.png")
save("t", "进步最大", "report-trend.png")
save("q", "指标得分明细", "report-detail.png")
save("q", "名额池", "report-grades.png")
save("q", "类别最高", "report-radar.png", 0.75)
save("s", "整改措施", "report-rectify.png")
save("s", "严重程度", "report-issues.png")
save("q", "SHA-256", "report-about.png")
save("p", "公开版", "report-public.png")
# The annual workbook.
save("a", "标记", "annual-outcomes.png")
save("a", "参加定等人数", "annual-grades.png")
save("a", "末季较首季", "annual-quarters.png")
save("a", "每人金额", "annual-funding.png")
save("a", "SHA-256", "annual-about.png")
save("tpl", "在白色单元格", "template.png", 0.35)
PY
echo "docs/img rendered"
