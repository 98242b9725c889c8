"""python-calamine reading every cell of the first sheet (the floor for reading an .xlsx).
Usage: python3 scripts/calamine_read.py FILE.xlsx"""
import sys

from python_calamine import CalamineWorkbook

rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()
print(len(rows), "rows", sum(len(r) for r in rows), "cells")
