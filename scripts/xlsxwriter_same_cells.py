"""The report-writing comparison: read every cell of a workbook perf wrote (python-calamine),
then time Python XlsxWriter writing the same values to the same sheets (no formats, no charts,
so the comparison favours XlsxWriter). Prints the writing time in seconds.
Usage: python3 scripts/xlsxwriter_same_cells.py REPORT.xlsx OUT.xlsx
(needs `pip install python-calamine xlsxwriter`)."""
import sys
import time

import xlsxwriter
from python_calamine import CalamineWorkbook

src, out = sys.argv[1], sys.argv[2]
book = CalamineWorkbook.from_path(src)
sheets = [(name, book.get_sheet_by_name(name).to_python()) for name in book.sheet_names]
cells = sum(len(r) for _, rows in sheets for r in rows)
start = time.perf_counter()
wb = xlsxwriter.Workbook(out)
for name, rows in sheets:
    ws = wb.add_worksheet(name)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v != "":
                ws.write(r, c, v)
wb.close()
print(f"{time.perf_counter() - start:.2f} s for {cells} cells", file=sys.stderr)
print(f"{time.perf_counter() - start:.3f}")
