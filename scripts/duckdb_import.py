"""What `perf import` does to a long CSV, simplified, in DuckDB: read it, keep the rows whose
subject is in the roster and whose indicator is in the scheme (counting the others), and
write the ledger. Usage: python3 scripts/duckdb_import.py LONG.csv ROSTER.csv OUT.csv"""
import sys
import duckdb

indicators = ["DE", "LIAN", "NENG1", "QIN1", "QIN2", "JI1", "JI2", "JI3", "JI4", "JI5", "JIA"]
con = duckdb.connect()
con.execute("CREATE TABLE ind(code VARCHAR)")
con.executemany("INSERT INTO ind VALUES (?)", [(c,) for c in indicators])
con.execute(f"CREATE TABLE roster AS SELECT * FROM read_csv('{sys.argv[2]}', header=true, all_varchar=true)")
con.execute(f"CREATE TABLE l AS SELECT * FROM read_csv('{sys.argv[1]}', header=true, all_varchar=true)")
bad = con.execute(
    "SELECT count(*) FROM l WHERE subject NOT IN (SELECT 编号 FROM roster) OR indicator NOT IN (SELECT code FROM ind)"
    " OR TRY_CAST(value AS DECIMAL(18,4)) IS NULL"
).fetchone()[0]
con.execute(
    f"""COPY (SELECT l.*, 'long.csv!A' || (row_number() OVER ()) AS source FROM l
        JOIN roster r ON l.subject = r.编号 JOIN ind ON l.indicator = ind.code
        WHERE TRY_CAST(value AS DECIMAL(18,4)) IS NOT NULL) TO '{sys.argv[3]}' (HEADER)"""
)
print("rejected", bad)
