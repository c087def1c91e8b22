//! `plangate retry`, `plangate run` and `plangate breaker` end to end through the binary, with
//! real child processes. Delays are hundredths of a second so the suite stays fast.

use std::path::Path;
use std::process::{Command, Output};

const POLICY: &str = r#"
resilience:
  retry_strategy: {max_attempts: 3, initial_delay: 0.01, max_delay: 0.05, backoff_factor: 2, jitter: false}
  steps:
    - name: terraform-apply
      retry_on: ["Error: timeout", "Error: rate limit exceeded", "Error: connection refused"]
      auto_heal:
        - {action: "touch healed", condition: "state mismatch"}
circuit_breaker:
  failure_threshold: 3
  reset_timeout: 300
  half_open_timeout: 60
"#;

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gate.yaml"), POLICY).unwrap();
    dir
}

fn plangate(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plangate")).args(args).current_dir(dir).output().unwrap()
}

/// `plangate run` of a shell script that counts its attempts in the file `count`.
fn run_script(dir: &Path, script: &str) -> (Output, u32) {
    let counting = format!("n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; {script}");
    let out =
        plangate(dir, &["run", "--config", "gate.yaml", "--step", "terraform-apply", "--", "sh", "-c", &counting]);
    let attempts = std::fs::read_to_string(dir.join("count")).map_or(0, |c| c.trim().parse().unwrap());
    (out, attempts)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn schedule_of_the_documented_policy() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("gate.yaml"),
        "resilience:\n  retry_strategy: {max_attempts: 3, initial_delay: 10, max_delay: 60, backoff_factor: 2, jitter: false}\n  steps: [{name: terraform-apply}]\n",
    )
    .unwrap();
    let out = plangate(
        dir.path(),
        &["retry", "schedule", "--config", "gate.yaml", "--step", "terraform-apply", "-f", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["delays"], serde_json::json!([10.0, 20.0]));
    let missing = plangate(dir.path(), &["retry", "schedule", "--config", "gate.yaml", "--step", "deploy"]);
    assert_eq!(missing.status.code(), Some(3));
    assert!(stderr(&missing).contains("no step \"deploy\""));
}

#[test]
fn a_schedule_of_billions_of_attempts_answers_at_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("gate.yaml"),
        "resilience:\n  retry_strategy: {max_attempts: 4000000000, initial_delay: 1, max_delay: 60, jitter: decorrelated}\n  steps: [{name: a}]\n",
    )
    .unwrap();
    let args = ["retry", "schedule", "--config", "gate.yaml", "--step", "a", "--seed", "7"];
    let out = plangate(dir.path(), &[&args[..], &["-f", "json"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["delays"].as_array().unwrap().len(), 100, "the first delays are listed");
    assert_eq!(report["complete"], false);
    assert_eq!(report["more_retries"], 3_999_999_899u64);
    assert!(report["total_delay_at_most"].as_f64().unwrap() <= 4e9 * 60.0);
    let text = String::from_utf8(plangate(dir.path(), &args).stdout).unwrap();
    assert!(text.contains("and up to 3999999899 more retries, each at most 60.000 s"), "{text}");
    // One attempt: no retries, and a total of 0, never -0.
    std::fs::write(
        dir.path().join("gate.yaml"),
        "resilience:\n  retry_strategy: {max_attempts: 1}\n  steps: [{name: a}]\n",
    )
    .unwrap();
    let out = plangate(dir.path(), &[&args[..], &["-f", "json"]].concat());
    let json = String::from_utf8(out.stdout).unwrap();
    assert!(json.contains("\"total_delay\": 0.0") && !json.contains("-0.0"), "{json}");
}

#[test]
fn seeded_schedules_repeat() {
    let dir = setup();
    let args =
        ["retry", "schedule", "--config", "gate.yaml", "--step", "terraform-apply", "--seed", "42", "-f", "json"];
    std::fs::write(dir.path().join("gate.yaml"), POLICY.replace("jitter: false", "jitter: full")).unwrap();
    let (a, b) = (plangate(dir.path(), &args), plangate(dir.path(), &args));
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn retryable_failures_are_retried_until_success() {
    let dir = setup();
    let (out, attempts) = run_script(
        dir.path(),
        r#"if [ $n -lt 3 ]; then echo "│ Error: timeout while waiting for state" >&2; exit 1; fi; echo applied"#,
    );
    assert_eq!((out.status.code(), attempts), (Some(0), 3), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("applied"), "output streams through");
    let log = stderr(&out);
    assert!(
        log.contains("attempt 1/3 failed (exit 1, timeout error, matched \"Error: timeout\"); retrying in 0.0"),
        "{log}"
    );
    assert!(log.contains("attempt 3/3 of `sh -c"), "{log}");
}

#[test]
fn a_non_retryable_failure_is_not_retried_and_keeps_its_code() {
    let dir = setup();
    let (out, attempts) = run_script(dir.path(), r#"echo "Error: Invalid value for variable" >&2; exit 7"#);
    assert_eq!((out.status.code(), attempts), (Some(7), 1));
    assert!(stderr(&out).contains("matches no retry_on pattern): not retried"), "{}", stderr(&out));
}

#[test]
fn retries_run_out_with_the_last_exit_code() {
    let dir = setup();
    let (out, attempts) = run_script(dir.path(), r#"echo "Error: connection refused" >&2; exit 4"#);
    assert_eq!((out.status.code(), attempts), (Some(4), 3));
    assert!(stderr(&out).contains("no attempts left, giving up"));
}

#[test]
fn an_auto_heal_action_runs_before_the_next_attempt() {
    let dir = setup();
    let (out, attempts) = run_script(
        dir.path(),
        r#"if [ ! -f healed ]; then echo "Error: state mismatch detected" >&2; exit 1; fi; echo ok"#,
    );
    assert_eq!((out.status.code(), attempts), (Some(0), 2), "{}", stderr(&out));
    assert!(dir.path().join("healed").exists());
    assert!(stderr(&out).contains("auto-heal: running `touch healed`"), "{}", stderr(&out));
}

#[test]
fn a_missing_command_exits_127() {
    let dir = setup();
    let out = plangate(
        dir.path(),
        &["run", "--config", "gate.yaml", "--step", "terraform-apply", "--", "/nonexistent/terraform"],
    );
    assert_eq!(out.status.code(), Some(127));
}

#[test]
fn breaker_from_shell_steps() {
    let dir = setup();
    let breaker = |args: &[&str]| {
        let mut all = vec!["breaker"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--state", "state.json", "--config", "gate.yaml"]);
        plangate(dir.path(), &all)
    };
    for _ in 0..3 {
        assert_eq!(breaker(&["record", "--outcome", "failure", "--now", "1000"]).status.code(), Some(0));
    }
    assert_eq!(breaker(&["request", "--now", "1100"]).status.code(), Some(1), "open for reset_timeout");
    assert_eq!(breaker(&["status"]).status.code(), Some(1));
    assert_eq!(breaker(&["request", "--now", "1300"]).status.code(), Some(0), "the half-open probe");
    assert_eq!(breaker(&["request", "--now", "1301"]).status.code(), Some(1), "one probe at a time");
    assert_eq!(breaker(&["record", "--outcome", "success", "--now", "1310"]).status.code(), Some(0));
    let status = breaker(&["status", "-f", "json"]);
    let state: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(state["state"]["state"], "closed");
    std::fs::write(dir.path().join("state.json"), "{not json").unwrap();
    assert_eq!(breaker(&["status"]).status.code(), Some(3), "a broken state file is an error, not a verdict");
}
