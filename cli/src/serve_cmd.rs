//! `plangate serve`: the run-task server (`plangate-server`) on a multi-threaded runtime, stopped
//! gracefully by SIGTERM or SIGINT (what container runtimes and systemd send). A configuration or
//! key that cannot be used is exit 3 before anything listens.

use std::time::Duration;

use plangate_server::{App, Options};

use crate::args::ServeArgs;
use crate::Failure;

pub fn run(args: &ServeArgs) -> Result<u8, Failure> {
    if !args.grace.is_finite() || args.grace < 0.0 {
        return Err(Failure(format!("--grace {}: expected a number of seconds, 0 or more", args.grace)));
    }
    let options = Options::new(&args.config).grace(Duration::from_secs_f64(args.grace));
    let app = App::load(options).map_err(|e| Failure(format!("plangate serve: {e}")))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure(format!("plangate serve: cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .map_err(|e| Failure(format!("plangate serve: cannot listen on {}: {e}", args.listen)))?;
        app.serve(listener, stopped()).await.map_err(|e| Failure(format!("plangate serve: {e}")))
    })?;
    Ok(0)
}

/// Completes on SIGTERM or SIGINT.
async fn stopped() {
    use tokio::signal::unix::{signal, SignalKind};
    match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        }
        // Without signal handlers the server runs until killed.
        _ => std::future::pending().await,
    }
}
