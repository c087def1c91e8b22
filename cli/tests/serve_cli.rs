//! `plangate serve` as a process: it refuses to start without its key, listens, answers health
//! checks, logs JSON lines, and stops cleanly on SIGTERM. The protocol end to end is tested in
//! `server/tests/end_to_end.rs`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn starts_answers_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("gate.yaml");
    std::fs::write(&config, "run_task:\n  hmac_key_env: PLANGATE_CLI_TEST_KEY\n").unwrap();

    let refused = Command::new(env!("CARGO_BIN_EXE_plangate"))
        .args(["serve", "--listen", "127.0.0.1:0", "-c", config.to_str().unwrap()])
        .env_remove("PLANGATE_CLI_TEST_KEY")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("PLANGATE_CLI_TEST_KEY is not set"));

    let mut server = Command::new(env!("CARGO_BIN_EXE_plangate"))
        .args(["serve", "--listen", "127.0.0.1:0", "-c", config.to_str().unwrap()])
        .env("PLANGATE_CLI_TEST_KEY", "k")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stderr.take().unwrap()).lines();
    let first: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first["event"], "listening");
    let address = first["address"].as_str().unwrap().to_string();
    let health = ureq::get(&format!("http://{address}/healthz")).call().unwrap();
    assert_eq!(health.status(), 200);
    let unsigned = ureq::post(&format!("http://{address}/")).send_string("{}");
    assert!(matches!(unsigned, Err(ureq::Error::Status(401, _))));
    // SAFETY: kill(2) on our own child.
    unsafe { libc::kill(server.id() as i32, libc::SIGTERM) };
    assert_eq!(server.wait().unwrap().code(), Some(0));
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l.contains("\"event\":\"stopped\"")), "{rest:?}");
}
