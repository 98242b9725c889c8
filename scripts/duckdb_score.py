"""The same job as `perf score` on a gen-bench ledger, simplified, in DuckDB: the mean of each
(subject, indicator, rater), the raters' weights of the staff scheme, points per indicator,
the sum per subject and a rank. Usage: python3 scripts/duckdb_score.py LEDGER.csv"""
import sys
import duckdb

weights = [
    ("NENG1", "leader", 50, 10), ("NENG1", "peer", 30, 10), ("NENG1", "public", 20, 10),
    ("QIN2", "leader", 60, 20), ("QIN2", "peer", 40, 20),
    ("JI2", "leader", 100, 20), ("JI3", "public", 100, 10),
    ("JI4", "leader", 100, 10), ("JI5", "leader", 50, 10), ("JI5", "peer", 50, 10),
]
con = duckdb.connect()
con.execute("CREATE TABLE w(indicator VARCHAR, rater VARCHAR, weight DOUBLE, points DOUBLE)")
con.executemany("INSERT INTO w VALUES (?, ?, ?, ?)", weights)
rows = con.execute(
    f"""
    WITH l AS (SELECT * FROM read_csv('{sys.argv[1]}', header=true, all_varchar=false)),
    m AS (SELECT subject, indicator, rater, avg(value) AS mean, count(*) AS n FROM l
          WHERE rater IS NOT NULL GROUP BY ALL),
    p AS (SELECT m.subject, m.indicator, sum(m.mean * w.weight) / 100 * max(w.points) / 100 AS pts
          FROM m JOIN w USING (indicator, rater) GROUP BY ALL),
    s AS (SELECT subject, sum(pts) AS score FROM p GROUP BY subject)
    SELECT subject, round(score, 2), rank() OVER (ORDER BY score DESC) FROM s
    """
).fetchall()
print(len(rows), "subjects")
