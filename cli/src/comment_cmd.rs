//! `plangate comment`: the JSON reports of `plangate check -f json` as one sticky comment on the
//! pull or merge request the CI's variables name, through the engine's comment code. A comment is
//! not the gate: when it cannot be written (no token, a read-only token, no answer) the command
//! warns and exits 0; it exits 3 only when the reports or the CI's variables cannot be used.

use plangate::comment::{self, Action, Request, UreqHttp};
use plangate::report::Run;
use plangate::resilience::{SystemClock, ThreadSleep};

use crate::args::CommentArgs;
use crate::Failure;

pub fn run(args: &CommentArgs) -> Result<u8, Failure> {
    let run = Run::from_report_files(&args.reports).map_err(|e| Failure(e.to_string()))?;
    let mut request = Request::new(&args.provider);
    request.key.clone_from(&args.key);
    request.behaviour = Some(args.behaviour.clone());
    request.refresh = args.refresh;
    request.timeout = Some(args.timeout);
    let env = |name: &str| std::env::var(name).ok();
    let outcome = comment::post_run(&run, &request, &env, &UreqHttp::new(), &SystemClock, &mut ThreadSleep)
        .map_err(|e| Failure(format!("plangate comment: {e}")))?;
    if let Some(why) = &outcome.nowhere {
        eprintln!("plangate comment: {why}; no comment written");
    }
    for note in &outcome.notes {
        eprintln!("plangate comment: {note}");
    }
    for warning in &outcome.warnings {
        eprintln!("plangate comment: warning: {warning}");
    }
    let url = outcome.url.as_deref().map(|u| format!(": {u}")).unwrap_or_default();
    match outcome.action {
        Action::Created => eprintln!("plangate comment: wrote a new comment{url}"),
        Action::Updated => eprintln!("plangate comment: updated the comment{url}"),
        Action::Unchanged => eprintln!("plangate comment: the comment is up to date{url}"),
        _ => {}
    }
    if outcome.superseded > 0 {
        eprintln!("plangate comment: {} earlier comment(s) retired", outcome.superseded);
    }
    Ok(0)
}
