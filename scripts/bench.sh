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
