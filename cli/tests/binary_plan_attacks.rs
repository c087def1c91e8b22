//! Binary plan files built to make the native reader see something other than what Terraform
//! applies, or to crash or exhaust it: each is refused with exit 3 (or read as Terraform reads it),
//! never a verdict about other content, never a signal.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

// The core's helpers that take plan files apart and build resource changes by hand.
#[path = "../../core/tests/support/mod.rs"]
mod support;
use support::{field, members, zipped};

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(path)
}

fn plangate(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plangate"))
        .args(args)
        .env_remove("TF_PLAN_CHECK_CONFIG")
        // Never terraform: the native reader is what is attacked.
        .env("TERRAFORM_BINARY", "/nonexistent/terraform")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("plangate runs")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally, not by a signal")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs plangate and returns its exit code, its standard error and its peak memory in KiB. Started
/// from a small Python process: a child started from this (large, multi-threaded) test process
/// would be charged the test's own peak at `exec`.
fn measured(args: &[&str]) -> (i32, String, i64) {
    const RUN: &str = "import resource, subprocess, sys\n\
        r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n\
        sys.stderr.buffer.write(r.stderr)\n\
        print(f'\\npeak {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} {r.returncode}', file=sys.stderr)\n";
    let out = Command::new("python3")
        .args(["-c", RUN, env!("CARGO_BIN_EXE_plangate")])
        .args(args)
        .env("TERRAFORM_BINARY", "/nonexistent/terraform")
        .stdin(Stdio::null())
        .output()
        .expect("python3 runs");
    let err = text(&out.stderr);
    let (err, last) = err.trim_end().rsplit_once('\n').unwrap();
    let fields: Vec<&str> = last.split_whitespace().collect();
    assert_eq!(fields[0], "peak", "{last}");
    (fields[2].parse().unwrap(), err.to_string(), fields[1].parse().unwrap())
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn a_plan_file_with_two_tfplan_members_is_refused() {
    // Terraform applies the first `tfplan` (it deletes a DynamoDB table and an S3 bucket); a reader
    // that took the last one saw the safe plan and passed it. Zip writers refuse two members of
    // one name, so the second is renamed in place, as an attacker would.
    let mut plan = members(&fixture("plans/destroy.tfplan"));
    let safe = members(&fixture("plans/safe.tfplan")).into_iter().find(|(n, _)| n == "tfplan").unwrap().1;
    plan.push(("tfplaX".into(), safe));
    let mut bytes = zipped(&plan);
    let mut renamed = 0;
    for i in 0..bytes.len() - 6 {
        if &bytes[i..i + 6] == b"tfplaX" {
            bytes[i + 5] = b'n';
            renamed += 1;
        }
    }
    assert_eq!(renamed, 2, "the local header and the directory record");
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "two.tfplan", &bytes);
    let out = plangate(&["check", "--plan-reader", "native", &file], &[]);
    assert_eq!(code(&out), 3, "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("two members named `tfplan`"), "{}", text(&out.stderr));
    // The same file with only the first: the plan Terraform applies, judged as such.
    let out = plangate(
        &["check", "--plan-reader", "native", &write(dir.path(), "one.tfplan", &zipped(&plan[..plan.len() - 1]))],
        &[],
    );
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
}

/// A created `aws_sqs_queue` whose after value is `msgpack`, with the attribute paths
/// `sensitive` recorded as sensitive (each a list of attribute names).
fn created_queue(msgpack: &[u8], sensitive: &[Vec<&str>]) -> Vec<u8> {
    let mut value = Vec::new();
    field(&mut value, 1, msgpack);
    let mut change = vec![0x08, 0x01]; // action 1: create
    field(&mut change, 2, &value);
    for path in sensitive {
        let mut steps = Vec::new();
        for name in path {
            let mut step = Vec::new();
            field(&mut step, 1, name.as_bytes());
            field(&mut steps, 1, &step);
        }
        field(&mut change, 4, &steps);
    }
    let mut rc = Vec::new();
    field(&mut rc, 13, b"aws_sqs_queue.added");
    field(&mut rc, 8, br#"provider["registry.terraform.io/hashicorp/aws"]"#);
    field(&mut rc, 9, &change);
    let mut entry = Vec::new();
    field(&mut entry, 3, &rc);
    entry
}

/// The safe plan with one more resource change appended to its `tfplan` (protocol buffers merge
/// what follows into what came first).
fn safe_plan_with(dir: &Path, change: &[u8]) -> String {
    let mut plan = members(&fixture("plans/safe.tfplan"));
    plan.iter_mut().find(|(n, _)| n == "tfplan").unwrap().1.extend(change);
    write(dir, "attack.tfplan", &zipped(&plan))
}

#[test]
fn a_sensitive_path_without_end_is_refused_not_a_crash() {
    // 50,000 steps: the trie of sensitive paths overflowed the stack (SIGSEGV) when dropped.
    let dir = tempfile::tempdir().unwrap();
    let path = vec!["a"; 50_000];
    let file = safe_plan_with(dir.path(), &created_queue(b"\x81\xa4name\xa4deep", &[path]));
    let out = plangate(&["check", "--plan-reader", "native", &file], &[]);
    assert_eq!(code(&out), 3, "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("a sensitive path of 50000 steps"), "{}", text(&out.stderr));
}

#[test]
fn an_error_inside_a_sensitive_value_names_no_key_below_it() {
    // The queue's tags are sensitive (a recorded path), and one of them holds what cty never
    // writes: the error says where only as far as `tags`, never the key inside.
    let dir = tempfile::tempdir().unwrap();
    let msgpack = b"\x82\xa4name\xa1q\xa4tags\x81\xacKEY-IS-A-PIN\xd4\x03\x00";
    let file = safe_plan_with(dir.path(), &created_queue(msgpack, &[vec!["tags"]]));
    let out = plangate(&["check", "--plan-reader", "native", &file], &[]);
    let err = text(&out.stderr);
    assert_eq!(code(&out), 3, "{err}");
    assert!(err.contains("msgpack extension type 3, which cty does not write at `tags`"), "{err}");
    assert!(!err.contains("KEY-IS-A-PIN"), "{err}");
    // Without the mark, the key is shown: it is no secret.
    let file = safe_plan_with(dir.path(), &created_queue(msgpack, &[]));
    let err = text(&plangate(&["check", "--plan-reader", "native", &file], &[]).stderr);
    assert!(err.contains("at `tags.KEY-IS-A-PIN`"), "{err}");
}

#[test]
fn a_zip_bomb_is_refused_in_proportion_to_the_file() {
    // 512 MiB of zeros in half a megabyte: refused before anything is inflated, with the variable
    // that would allow it named.
    let mut plan = members(&fixture("plans/noop.tfplan"));
    plan.push(("tfconfig/big.tf".into(), Vec::new()));
    plan.iter_mut().find(|(n, _)| n == "tfplan").unwrap().1 = vec![0; 512 << 20];
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "bomb.tfplan", &zipped(&plan));
    drop(plan);
    assert!(std::fs::metadata(&file).unwrap().len() < 1 << 20);
    let (status, err, peak_kib) = measured(&["check", "--plan-reader", "native", &file]);
    assert_eq!(status, 3, "{err}");
    assert!(err.contains("PLANGATE_MAX_INFLATION"), "{err}");
    assert!(peak_kib < 64 << 10, "peak memory {peak_kib} KiB for a file under 1 MiB");
}
