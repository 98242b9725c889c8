//! A realistic benchmark workspace: a province's civil servants scored on the staff scheme.
//!
//! `cargo run --release --example gen-bench -- --subjects 10000 --seed 1 --out DIR` writes
//! `DIR/scheme.toml` (examples/staff/scheme.toml), `DIR/roster.csv` (N people in units of about
//! 30, one in five a leader) and `DIR/ledger.csv`: for 2026Q1, per person, one row per rating by
//! each evaluator — the head of the unit, 8 colleagues, 50 members of the public on each
//! public-rated indicator — plus the data indicators and vetoes, about 125 rows a person; a few
//! values missing (1 in 500 people lacks the public's ratings). Deterministic for a seed.
//!
//! `--peers N` and `--public N` set the panel sizes (8 and 50): `--peers 4 --public 3` gives
//! about 20 rows a person, for a roster of a million. `--long` writes `DIR/long.csv` instead of
//! the ledger: the same rows without the `source` column, the long table a clerk's system
//! exports, for `perf import`.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut subjects = 10_000usize;
    let mut seed = 1u64;
    let mut out = PathBuf::from("target/bench");
    let (mut peers, mut public, mut long) = (8usize, 50usize, false);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--subjects" => subjects = args.next().ok_or("--subjects N")?.parse()?,
            "--seed" => seed = args.next().ok_or("--seed S")?.parse()?,
            "--out" => out = PathBuf::from(args.next().ok_or("--out DIR")?),
            "--peers" => peers = args.next().ok_or("--peers N")?.parse()?,
            "--public" => public = args.next().ok_or("--public N")?.parse()?,
            "--long" => long = true,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    std::fs::create_dir_all(&out)?;
    std::fs::copy("examples/staff/scheme.toml", out.join("scheme.toml"))?;
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut roster = BufWriter::new(std::fs::File::create(out.join("roster.csv"))?);
    writeln!(roster, "编号,姓名,类别,所在单位,职级,处分")?;
    let name = if long { "long.csv" } else { "ledger.csv" };
    let mut ledger = BufWriter::new(std::fs::File::create(out.join(name))?);
    if long {
        writeln!(ledger, "period,subject,indicator,rater,evaluator,value")?;
    } else {
        writeln!(ledger, "period,subject,indicator,rater,evaluator,value,source")?;
    }
    let mut rows = 0u64;
    let mut row = |w: &mut BufWriter<std::fs::File>, id: &str, ind: &str, rater: &str, ev: &str, v: f64| {
        rows += 1;
        if long {
            writeln!(w, "2026Q1,{id},{ind},{rater},{ev},{v:.1}")
        } else {
            writeln!(w, "2026Q1,{id},{ind},{rater},{ev},{v:.1},bench!A{rows}")
        }
    };
    for i in 0..subjects {
        let id = format!("P{i:07}");
        let unit = format!("U{:05}", i / 30);
        let leader = i % 5 == 0;
        let category = if leader { "领导干部" } else { "一般干部" };
        writeln!(roster, "{id},人员{i},{category},{unit},,")?;
        let base = 70.0 + rng.f64() * 25.0;
        let rate = |rng: &mut fastrand::Rng, spread: f64| (base + (rng.f64() - 0.5) * spread).clamp(60.0, 100.0);
        let public_missing = i % 500 == 499;
        row(&mut ledger, &id, "DE", "", "", 0.0)?;
        row(&mut ledger, &id, "LIAN", "", "", 0.0)?;
        // NENG1: rating by all three sources.
        row(&mut ledger, &id, "NENG1", "leader", "主管领导", rate(&mut rng, 6.0))?;
        for p in 0..peers {
            row(&mut ledger, &id, "NENG1", "peer", &format!("同事{p}"), rate(&mut rng, 10.0))?;
        }
        if !public_missing {
            for p in 0..public {
                row(&mut ledger, &id, "NENG1", "public", &format!("群众{p}"), rate(&mut rng, 16.0))?;
            }
        }
        row(&mut ledger, &id, "QIN1", "", "", f64::from(rng.u8(0..3)))?;
        row(&mut ledger, &id, "QIN2", "leader", "主管领导", rate(&mut rng, 6.0))?;
        for p in 0..peers {
            row(&mut ledger, &id, "QIN2", "peer", &format!("同事{p}"), rate(&mut rng, 10.0))?;
        }
        row(&mut ledger, &id, "JI1", "", "", 70.0 + rng.f64() * 30.0)?;
        if leader {
            row(&mut ledger, &id, "JI4", "leader", "区领导", rate(&mut rng, 6.0))?;
            row(&mut ledger, &id, "JI5", "leader", "区领导", rate(&mut rng, 6.0))?;
            for p in 0..peers {
                row(&mut ledger, &id, "JI5", "peer", &format!("同事{p}"), rate(&mut rng, 10.0))?;
            }
        } else {
            row(&mut ledger, &id, "JI2", "leader", "主管领导", rate(&mut rng, 6.0))?;
        }
        if !public_missing {
            for p in 0..public {
                row(&mut ledger, &id, "JI3", "public", &format!("群众{p}"), rate(&mut rng, 16.0))?;
            }
        }
        row(&mut ledger, &id, "JIA", "", "", f64::from(rng.u8(0..2)))?;
    }
    ledger.flush()?;
    roster.flush()?;
    eprintln!("{subjects} subjects, {rows} rows in {}", out.join(name).display());
    Ok(())
}
