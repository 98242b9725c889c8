#!/usr/bin/env bash
# Times whole perf commands on generated large inputs and reports wall time and peak memory.
# Usage: scripts/bench.sh [rows]   (default 1000000). Needs python3 and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
perf=target/release/perf

echo "== generating a long CSV of $rows rows"
python3 - "$rows" "$work/long.csv" <<'PY'
import sys
rows, path = int(sys.argv[1]), sys.argv[2]
units = [f"U{i:02d}" for i in range(1, 21)]
cat = {**{u: "E4" for u in units[0:5]}, **{u: "S2" for u in units[5:10]},
       **{u: "A2" for u in units[10:15]}, **{u: "L3" for u in units[15:20]}}
periods = ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
per = rows // (len(periods) * len(units) * 2) + 1
n = 0
with open(path, "w", encoding="utf-8") as f:
    f.write("period,subject,indicator,rater,evaluator,value\n")
    for p in periods:
        for u in units:
            for ind in ("G3.2", cat[u]):
                for e in range(per):
                    if n == rows:
                        break
                    f.write(f"{p},{u},{ind},public,R{e},{80 + (n * 7919) % 200 / 10}\n")
                    n += 1
PY
ls -l "$work/long.csv"

echo "== perf import ($rows rows)"
/usr/bin/time -f "wall %e s, peak RSS %M KiB" "$perf" import "$work/long.csv" \
  --scheme examples/units/scheme.toml --roster examples/units/roster.csv \
  -o "$work/ledger.csv" --issues "$work/issues.csv" 2>&1 | grep -E "共读取|wall" || true
wc -l "$work/ledger.csv"

echo "== perf score on that ledger (streams the ledger; state grows with subjects × indicators × raters)"
/usr/bin/time -f "wall %e s, peak RSS %M KiB" "$perf" score "$work/ledger.csv" \
  --scheme examples/units/scheme.toml --roster examples/units/roster.csv --period 2026Q1 \
  --format csv -o "$work/scores.csv" 2>&1 | grep -E "wall|等次" || true

big=${BIG_ROWS:-10000000}
echo "== generating a ledger of $big rows and scoring it"
python3 - "$big" "$work/big.csv" <<'PY'
import sys
rows, path = int(sys.argv[1]), sys.argv[2]
units = [f"U{i:02d}" for i in range(1, 21)]
per = rows // (len(units) * 2) + 1
n = 0
with open(path, "w", encoding="utf-8") as f:
    f.write("period,subject,indicator,rater,evaluator,value,source\n")
    for u in units:
        for ind in ("G3.2", "G1.1"):
            rater = "public" if ind == "G3.2" else "peer"
            for e in range(per):
                if n == rows:
                    break
                f.write(f"2026Q1,{u},{ind},{rater},R{e},{80 + (n * 7919) % 200 / 10},x!A1\n")
                n += 1
PY
ls -l "$work/big.csv"
/usr/bin/time -f "wall %e s, peak RSS %M KiB" "$perf" score "$work/big.csv" \
  --scheme examples/units/scheme.toml --roster examples/units/roster.csv --period 2026Q1 \
  --format csv -o "$work/big-scores.csv" 2>&1 | grep -E "wall" || true

echo "== perf report for 10,000 subjects × 30 indicators"
python3 - "$work" <<'PY'
import sys, os
work = sys.argv[1]
cats = ["a", "b", "c", "d"]
with open(os.path.join(work, "big-scheme.toml"), "w", encoding="utf-8") as f:
    f.write('[scheme]\nname = "大规模"\nsubject = "unit"\nperiod = "quarter"\ntotal = 300\n')
    for c in cats:
        f.write(f'[categories.{c}]\nname = "{c}类"\n')
    for d in range(3):
        f.write(f'[[indicators]]\ncode = "D{d}"\nname = "维度{d}"\npoints = 100\n')
        for k in range(10):
            f.write(f'[[indicators]]\ncode = "D{d}.{k}"\nparent = "D{d}"\nname = "指标{d}.{k}"\npoints = 10\nmethod = "completion"\ntarget = 100\n')
    f.write('[grades]\nscope = "category"\n[[grades.levels]]\nname = "优秀"\nmin = 270\nquota = 0.2\n[[grades.levels]]\nname = "合格"\nmin = 0\n')
with open(os.path.join(work, "big-roster.csv"), "w", encoding="utf-8") as f:
    f.write("编号,名称,类别\n")
    for i in range(10000):
        f.write(f"N{i:05d},单位{i},{cats[i % 4]}类\n")
with open(os.path.join(work, "big-ledger.csv"), "w", encoding="utf-8") as f:
    f.write("period,subject,indicator,rater,evaluator,value,source\n")
    n = 0
    for i in range(10000):
        for d in range(3):
            for k in range(10):
                f.write(f"2026Q1,N{i:05d},D{d}.{k},,,{60 + (n * 7919) % 400 / 10},x!A1\n")
                n += 1
PY
/usr/bin/time -f "wall %e s, peak RSS %M KiB" "$perf" report "$work/big-ledger.csv" \
  --scheme "$work/big-scheme.toml" --roster "$work/big-roster.csv" --period 2026Q1 \
  -o "$work/big-report.xlsx" --timestamp 2026-04-08T09:00:00+08:00 2>&1 | grep -E "wall" || true
ls -l "$work/big-report.xlsx"
