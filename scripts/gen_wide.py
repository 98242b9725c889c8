"""A wide workbook for the import benchmark: N people (rows) × 30 rating indicators (columns),
with a scheme and a roster to import it against. Usage: python3 scripts/gen_wide.py N DIR
(needs `pip install xlsxwriter`). Deterministic."""
import os
import random
import sys

import xlsxwriter

n, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out, exist_ok=True)
rng = random.Random(1)
points = [3] * 28 + [8, 8]
with open(os.path.join(out, "scheme.toml"), "w", encoding="utf-8") as f:
    f.write('[scheme]\nname = "宽表导入基准"\nsubject = "person"\nperiod = "quarter"\ntotal = 100\n\n')
    f.write('[raters.leader]\nname = "主管领导评价"\nweight = 100\n\n')
    for i, p in enumerate(points, 1):
        f.write(f'[[indicators]]\ncode = "I{i:02}"\nname = "指标{i:02}"\npoints = {p}\nmethod = "rating"\n')
        f.write('kind = "output"\ndescription = "基准"\nmeasure = "百分制打分"\nsource = "基准"\ntarget = 80\n\n')
    f.write('[grades]\n[[grades.levels]]\nname = "好"\nmin = 90\n[[grades.levels]]\nname = "一般"\nmin = 0\n')
with open(os.path.join(out, "roster.csv"), "w", encoding="utf-8") as f:
    f.write("编号,姓名\n")
    for i in range(n):
        f.write(f"P{i:06},人员{i}\n")
wb = xlsxwriter.Workbook(os.path.join(out, "wide.xlsx"), {"constant_memory": True})
ws = wb.add_worksheet("评分")
ws.write_row(0, 0, ["编号", "姓名"] + [f"指标{i:02}" for i in range(1, 31)])
for r in range(n):
    ws.write_row(r + 1, 0, [f"P{r:06}", f"人员{r}"] + [round(60 + rng.random() * 40, 1) for _ in range(30)])
wb.close()
