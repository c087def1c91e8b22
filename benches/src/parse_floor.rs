//! `parse-floor PLAN.json`: reads the file and parses it into `serde::de::IgnoredAny` with
//! `serde_json`, and nothing else. The floor plangate's whole-process timings are compared with
//! (`benches/whole_process.py`): what any gate that reads the plan once must at least spend.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: parse-floor PLAN.json");
        return ExitCode::from(3);
    };
    let parsed = std::fs::read(&path)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_slice::<serde::de::IgnoredAny>(&text).map_err(|e| e.to_string()));
    match parsed {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("parse-floor: {}: {e}", path.to_string_lossy());
            ExitCode::from(3)
        }
    }
}
