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
        /// A configuration file: its own rules (`custom_rules:`, `policies:`) are listed too.
        #[arg(short, long, value_name = "FILE")]
        config: Option<String>,
    },
    /// Print the documentation of one rule.
    Explain {
        /// A rule id, e.g. PG-DEL-001
        id: String,
        /// A configuration file that declares the rule, for your own rules.
        #[arg(short, long, value_name = "FILE")]
        config: Option<String>,
    },
    /// Your own rules: `plangate policy test` runs their tests.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// Retry schedules computed from a step's policy.
    Retry {
        #[command(subcommand)]
        command: RetryCommand,
    },
    /// Run a command with a step's retry and auto-heal policy; exits with the command's own code.
    Run(RunArgs),
    /// A circuit breaker whose state is kept in a JSON file between pipeline runs.
    Breaker {
        #[command(subcommand)]
        command: BreakerCommand,
    },
    /// Validate security scanner reports and gate on severity: exit 0 pass, 1 gate failed,
    /// 3 a report is invalid, unrecognized, failed or partial.
    Scan(ScanArgs),
    /// Send a notification about a plan report.
    Notify {
        #[command(subcommand)]
        command: NotifyCommand,
    },
    /// Serve HCP Terraform / Terraform Enterprise run tasks: verify each signed request, check the
    /// run's plan, and send the result back.
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// Put the JSON reports on the pull or merge request as one sticky comment (GitHub, GitLab,
    /// Azure DevOps, Bitbucket), reading the CI's own variables.
    Comment(CommentArgs),
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Run the Rego policies' `test_` rules and the CEL rules' `examples:` (like `conftest
    /// verify`): exit 0 when all pass, 1 when one fails, 3 when the configuration cannot be read.
    Test {
        /// The configuration file (default: the file TF_PLAN_CHECK_CONFIG names).
        #[arg(short, long, value_name = "FILE")]
        config: Option<String>,
        /// text or json
        #[arg(short, long, default_value = "text")]
        format: String,
    },
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Report files (Wiz, Seeker, SARIF, Trivy, Checkov, Grype, Snyk, Semgrep, KICS, tfsec,
    /// Gitleaks, or {"issues": [...]}), detected by content.
    #[arg(required = true, value_name = "REPORT")]
    pub reports: Vec<String>,
    /// Read every report as this format instead of detecting it.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Fail on any new finding of this severity or worse: critical, high, medium, low.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,
    /// Configuration file with a `scan:` section (fail_on, max, unknown_severity_as).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<String>,
    /// YAML file of suppressions (each with rule, reason and expires).
    #[arg(long, value_name = "FILE")]
    pub suppressions: Option<String>,
    /// A previous `plangate scan -f json` output: findings in it do not fail the gate.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<String>,
    /// text, json, sarif (merged, within GitHub's upload limits), markdown, github, gitlab (Code
    /// Quality), azure-devops or junit
    #[arg(short = 'f', long = "output-format", default_value = "text", value_name = "FORMAT")]
    pub output_format: String,
    /// Write the result to FILE (atomically).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<String>,
}

#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, value_name = "ADDR", env = "PLANGATE_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// The configuration file: the policy and its `run_task:` section.
    #[arg(short, long, value_name = "FILE", env = "PLANGATE_CONFIG")]
    pub config: String,
    /// Seconds shutdown waits for jobs in flight before failing them explicitly.
    #[arg(long, value_name = "SECONDS", default_value = "30")]
    pub grace: f64,
}

#[derive(Debug, Args)]
pub struct CommentArgs {
    /// github, gitlab, azure-devops or bitbucket
    #[arg(long, value_name = "PROVIDER")]
    pub provider: String,
    /// The JSON reports of `plangate check -f json` (or `plangate run -f json`).
    #[arg(required = true, value_name = "REPORT.json")]
    pub reports: Vec<String>,
    /// Reports with the same key share one comment [default: the plans' names]
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
    /// update (edit the comment in place), hide-and-new, delete-and-new or new
    #[arg(long, value_name = "BEHAVIOUR", default_value = "update")]
    pub behaviour: String,
    /// Write the comment even when it already shows this report.
    #[arg(long)]
    pub refresh: bool,
    /// Seconds all calls to the API may take together.
    #[arg(long, value_name = "SECONDS", default_value = "60")]
    pub timeout: f64,
}

#[derive(Debug, Subcommand)]
pub enum NotifyCommand {
    /// Post the plan report's counts to the Slack incoming webhook in SLACK_WEBHOOK_URL.
    Slack(SlackArgs),
}

#[derive(Debug, Args)]
pub struct SlackArgs {
    /// The JSON report of `plangate check -f json`.
    #[arg(long, value_name = "REPORT.json")]
    pub report: String,
    /// The environment named in the message (e.g. production).
    #[arg(long, value_name = "NAME")]
    pub environment: Option<String>,
    /// Configuration file: `notifications.slack` (channel, enabled) and `resilience.retry_strategy`.
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<String>,
    /// Seconds one request may take, connecting included.
    #[arg(long, value_name = "SECONDS", default_value = "10")]
    pub timeout: f64,
}

#[derive(Debug, Subcommand)]
pub enum RetryCommand {
    /// Print the delays before each retry of a step.
    Schedule {
        /// Configuration file with a `resilience:` section.
        #[arg(short, long, value_name = "FILE")]
        config: String,
        /// The step, as named under `resilience.steps`.
        #[arg(long, value_name = "NAME")]
        step: String,
        /// Seed for the jitter, for a reproducible schedule.
        #[arg(long, value_name = "N")]
        seed: Option<u64>,
        /// text or json
        #[arg(short, long, default_value = "text")]
        format: String,
    },
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Configuration file with a `resilience:` section.
    #[arg(short, long, value_name = "FILE")]
    pub config: String,
    /// The step, as named under `resilience.steps`.
    #[arg(long, value_name = "NAME")]
    pub step: String,
    /// Stop an attempt that runs longer than this (SIGTERM, then SIGKILL 10 s later); it counts as a
    /// timeout, which is retried.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// The command and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum BreakerCommand {
    /// Record the outcome of a call.
    Record {
        #[command(flatten)]
        common: BreakerArgs,
        /// success or failure
        #[arg(long, value_name = "OUTCOME")]
        outcome: String,
    },
    /// Ask to make a call now: exit 0 when allowed (or as the half-open probe), 1 when the breaker
    /// is open. Starts the probe when the reset timeout is over.
    Request {
        #[command(flatten)]
        common: BreakerArgs,
    },
    /// Print the state without changing it (text or json); exit 0 unless it is open.
    Status {
        #[command(flatten)]
        common: BreakerArgs,
        #[arg(short, long, default_value = "text")]
        format: String,
    },
}

#[derive(Debug, Args)]
pub struct BreakerArgs {
    /// The JSON state file (created on first use).
    #[arg(long, value_name = "FILE")]
    pub state: String,
    /// Configuration file with a `circuit_breaker:` section (default thresholds without it).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<String>,
    /// The time, in seconds since the Unix epoch (default: now), for replays and tests.
    #[arg(long, value_name = "SECONDS")]
    pub now: Option<f64>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The plan: JSON from `terraform show -json`, or a binary plan file from `terraform plan -out`
    /// (see --plan-reader); `-` reads standard input. Several plans are checked together: a
    /// section each in every format, and the worst verdict wins (an unreadable plan, then
    /// critical, then high-risk).
    #[arg(required = true, value_name = "PLAN")]
    pub plans: Vec<String>,

    /// YAML configuration file (takes precedence over TF_PLAN_CHECK_CONFIG and --env).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<String>,

    /// Built-in preset: develop (dev), staging, production (prod). Used when neither -c nor
    /// TF_PLAN_CHECK_CONFIG names a file.
    #[arg(short, long, value_name = "ENV")]
    pub env: Option<String>,

    /// Output format: text, json, sarif, markdown, github, gitlab (Code Quality), gitlab-terraform
    /// (the merge-request widget's counts), azure-devops or junit (default: the config's
    /// output_format, else text).
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,

    /// Write the report to FILE (atomically) instead of standard output; the verdict still goes to
    /// standard error.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<String>,

    /// Fail (exit 2) on any high-risk change, whatever the configuration allows.
    #[arg(long)]
    pub fail_on_high_risk: bool,

    /// The Terraform working directory of the plan: findings then name the `file:line` of the
    /// block that declares their resource (relative to the git repository), in every format.
    #[arg(long, value_name = "DIR")]
    pub source_dir: Option<String>,

    /// How a binary plan file is read: auto (natively when a schema table knows every provider
    /// version, else with terraform if installed, else natively with those values masked), native
    /// (never terraform) or terraform (`terraform show -json`). Default: the config's plan_reader,
    /// else auto.
    #[arg(long, value_name = "READER")]
    pub plan_reader: Option<String>,

    /// A schema table made with scripts/schema-table, for a provider version plangate does not
    /// embed (repeatable; added to the config's schema_tables).
    #[arg(long, value_name = "FILE")]
    pub schema_table: Vec<String>,
}
