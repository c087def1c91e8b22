//! The command line, as clap sees it. The README's CLI reference mirrors this file.

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "plangate",
    version,
    about = "Gate deployments on the risk in a Terraform plan",
    long_about = "Gate deployments on the risk in a Terraform plan.\n\n\
Exit codes: 0 pass, 1 critical changes over the threshold, 2 high-risk changes over the \
allowance, 3 the plan or the configuration cannot be read (and usage errors)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyze a plan and exit 0 (pass), 1 (critical), 2 (high-risk) or 3 (cannot analyse).
    Check(CheckArgs),
    /// List every rule with its id, severity and family.
    Rules {
        /// text, json or markdown (the README's table)
        #[arg(short, long, default_value = "text")]
        format: String,
    },
    /// Print the documentation of one rule.
    Explain {
        /// A rule id, e.g. PG-DEL-001
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The plan: JSON from `terraform show -json`, or a binary plan file (read with terraform);
    /// `-` reads standard input.
    pub plan: String,

    /// YAML configuration file (takes precedence over TF_PLAN_CHECK_CONFIG and --env).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<String>,

    /// Built-in preset: develop (dev), staging, production (prod). Used when neither -c nor
    /// TF_PLAN_CHECK_CONFIG names a file.
    #[arg(short, long, value_name = "ENV")]
    pub env: Option<String>,

    /// Output format: text, json, sarif, markdown, github (default: the config's output_format,
    /// else text).
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,

    /// Write the report to FILE (atomically) instead of standard output; the verdict still goes to
    /// standard error.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<String>,

    /// Fail (exit 2) on any high-risk change, whatever the configuration allows.
    #[arg(long)]
    pub fail_on_high_risk: bool,
}
