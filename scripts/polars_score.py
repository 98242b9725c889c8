"""The same simplified job as scripts/duckdb_score.py, in polars: the mean of each (subject,
indicator, rater), the raters' weights of the staff scheme, points per indicator, the sum per
subject and a rank. Usage: python3 scripts/polars_score.py LEDGER.csv"""
import sys
import polars as pl

weights = pl.DataFrame(
    [
        ("NENG1", "leader", 50, 10), ("NENG1", "peer", 30, 10), ("NENG1", "public", 20, 10),
        ("QIN2", "leader", 60, 20), ("QIN2", "peer", 40, 20),
        ("JI2", "leader", 100, 20), ("JI3", "public", 100, 10),
        ("JI4", "leader", 100, 10), ("JI5", "leader", 50, 10), ("JI5", "peer", 50, 10),
    ],
    schema=["indicator", "rater", "weight", "points"],
    orient="row",
)
scores = (
    pl.scan_csv(sys.argv[1])
    .filter(pl.col("rater").is_not_null())
    .group_by(["subject", "indicator", "rater"])
    .agg(pl.col("value").mean().alias("mean"))
    .join(weights.lazy(), on=["indicator", "rater"])
    .group_by(["subject", "indicator"])
    .agg(((pl.col("mean") * pl.col("weight")).sum() / 100 * pl.col("points").max() / 100).alias("pts"))
    .group_by("subject")
    .agg(pl.col("pts").sum().alias("score"))
    .with_columns(pl.col("score").round(2), pl.col("score").rank("min", descending=True).alias("rank"))
    .collect()
)
print(scores.height, "subjects")
