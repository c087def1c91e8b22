//! `plangate notify slack` against a local HTTP server started by each test: the message, retries
//! on 5xx, no retry on 4xx, a server that never answers, and a webhook that is down.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CONFIG: &str = "notifications:\n  slack: {enabled: true, channel: \"#prod-terraform-alerts\"}\nresilience:\n  retry_strategy: {max_attempts: 3, initial_delay: 0.01, max_delay: 0.05, jitter: false}\n";

/// Serves one scripted answer per connection (`None`: accept and never answer), recording bodies.
fn serve(answers: Vec<Option<(u16, &'static str)>>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/services/T000/B000/secret-token", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&bodies);
    std::thread::spawn(move || {
        for answer in answers {
            let Ok((stream, _)) = listener.accept() else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            seen.lock().unwrap().push(String::from_utf8_lossy(&body).into_owned());
            match answer {
                Some((code, text)) => {
                    let mut stream = stream;
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {code} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                        text.len()
                    );
                }
                None => std::thread::sleep(Duration::from_secs(5)),
            }
        }
    });
    (url, bodies)
}

fn notify(dir: &Path, webhook: &str, extra: &[&str]) -> Output {
    std::fs::write(dir.join("gate.yaml"), CONFIG).unwrap();
    // A real report: the audit plan's, with 7 changes, 3 of them critical.
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/plans/audit-system-prod.plan.json");
    let report = Command::new(env!("CARGO_BIN_EXE_plangate")).args(["check", "-f", "json"]).arg(plan).output().unwrap();
    std::fs::write(dir.join("report.json"), report.stdout).unwrap();
    let mut args = vec!["notify", "slack", "--report", "report.json", "--environment", "production", "-c", "gate.yaml"];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_plangate"))
        .args(args)
        .env("SLACK_WEBHOOK_URL", webhook)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn posts_the_pipeline_message_after_retrying_a_server_error() {
    let dir = tempfile::tempdir().unwrap();
    let (url, bodies) = serve(vec![Some((503, "busy")), Some((200, "ok"))]);
    let out = notify(dir.path(), &url, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bodies = bodies.lock().unwrap();
    assert_eq!(bodies.len(), 2, "one retry after the 503");
    let message: serde_json::Value = serde_json::from_str(&bodies[1]).unwrap();
    assert_eq!(message["channel"], "#prod-terraform-alerts");
    let text = message["text"].as_str().unwrap();
    for part in ["*production*", "Critical changes: 3", "High-risk changes: 0", "Total changes: 7"] {
        assert!(text.contains(part), "{text}");
    }
    assert!(stderr(&out).contains("Slack answered 503; retrying"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("busy"), "answer bodies can echo the webhook path: never shown");
}

#[test]
fn a_client_error_fails_at_once_and_says_its_status() {
    let dir = tempfile::tempdir().unwrap();
    let (url, bodies) = serve(vec![Some((404, "no_service"))]);
    let out = notify(dir.path(), &url, &[]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("Slack answered 404 (not retried"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("no_service"), "answer bodies are never shown");
    assert_eq!(bodies.lock().unwrap().len(), 1);
    assert!(!stderr(&out).contains("secret-token"), "the webhook URL is a secret");
}

#[test]
fn a_server_that_never_answers_times_out_instead_of_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _) = serve(vec![None, None, None]);
    let started = Instant::now();
    let out = notify(dir.path(), &url, &["--timeout", "0.3"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(started.elapsed() < Duration::from_secs(4), "three attempts of 0.3 s each, not a hang");
    assert!(stderr(&out).contains("not sent after 3 attempts"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("secret-token"), "the webhook URL is a secret: {}", stderr(&out));
}

#[test]
fn a_webhook_that_is_down_fails_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    // A port nobody listens on: bind, note it, close it.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let out = notify(dir.path(), &format!("http://127.0.0.1:{port}/services/secret-token"), &[]);
    assert_eq!(out.status.code(), Some(3));
    let log = stderr(&out);
    assert!(log.contains("could not reach Slack") && !log.contains("secret-token"), "{log}");
}

#[test]
fn missing_webhook_or_bad_report_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = notify(dir.path(), "", &[]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("SLACK_WEBHOOK_URL is not set"));
    std::fs::write(dir.path().join("other.json"), r#"{"issues": []}"#).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_plangate"))
        .args(["notify", "slack", "--report", "other.json"])
        .env("SLACK_WEBHOOK_URL", "http://127.0.0.1:9/x")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("is not a plangate report"), "{}", stderr(&out));
}

#[test]
fn a_redirect_is_not_a_delivery_and_answer_bodies_that_echo_the_path_stay_unsaid() {
    let dir = tempfile::tempdir().unwrap();
    let (url, bodies) = serve(vec![Some((302, "moved to /services/T000/B000/secret-token"))]);
    let out = notify(dir.path(), &url, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("302"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("secret-token"));
    assert_eq!(bodies.lock().unwrap().len(), 1, "not retried, not followed");
    let (url, _) = serve(vec![Some((500, "error at /services/T000/B000/secret-token")); 3]);
    let out = notify(dir.path(), &url, &[]);
    assert_eq!(out.status.code(), Some(3));
    assert!(!stderr(&out).contains("secret-token"), "{}", stderr(&out));
}

#[test]
fn the_headline_follows_the_counts_whatever_the_status_says() {
    let dir = tempfile::tempdir().unwrap();
    let (url, bodies) = serve(vec![Some((200, "ok"))]);
    std::fs::write(dir.path().join("gate.yaml"), CONFIG).unwrap();
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/plans/audit-system-prod.plan.json");
    let report = Command::new(env!("CARGO_BIN_EXE_plangate")).args(["check", "-f", "json"]).arg(plan).output().unwrap();
    let mut report: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    report["status"] = "safe".into();
    std::fs::write(dir.path().join("edited.json"), report.to_string()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_plangate"))
        .args(["notify", "slack", "--report", "edited.json", "-c", "gate.yaml"])
        .env("SLACK_WEBHOOK_URL", &url)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(bodies.lock().unwrap()[0].contains("Critical Terraform changes"), "{:?}", bodies.lock().unwrap());
}

#[test]
fn malformed_urls_and_timeouts_fail_at_once() {
    let dir = tempfile::tempdir().unwrap();
    for (url, extra) in [("https://[::1", &[][..]), ("https://hooks.slack.com/x", &["--timeout", "inf"][..])] {
        let out = notify(dir.path(), url, extra);
        assert_eq!(out.status.code(), Some(3), "{url} {extra:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("retrying"), "{}", stderr(&out));
    }
}
