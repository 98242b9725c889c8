//! `perf schema`: print the JSON Schema of the scheme file or of `perf.toml`.

use crate::Exit;
use crate::core::scheme::doc::SchemeDoc;
use crate::io::workspace::WorkspaceDoc;
use schemars::generate::SchemaSettings;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Which {
    #[value(help = crate::choice("考核方案文件 scheme.toml", "the scheme file, scheme.toml"))]
    Scheme,
    #[value(help = crate::choice("工作区文件 perf.toml", "the workspace file, perf.toml"))]
    Workspace,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 哪个文件的 Schema。Which file's schema.
    #[arg(value_enum, default_value = "scheme")]
    pub which: Which,
}

/// The schema as pretty JSON (draft-07, which taplo / Even Better TOML understand).
pub fn schema_json(which: Which) -> String {
    let generator = SchemaSettings::draft07().into_generator();
    let schema = match which {
        Which::Scheme => generator.into_root_schema_for::<SchemeDoc>(),
        Which::Workspace => generator.into_root_schema_for::<WorkspaceDoc>(),
    };
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

pub fn run(args: &Args) -> anyhow::Result<Exit> {
    std::io::stdout().lock().write_all(schema_json(args.which).as_bytes())?;
    Ok(Exit::Ok)
}
