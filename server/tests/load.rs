//! A bounded load run on 127.0.0.1 (no timing assertions): 200 run-task requests for the real
//! fixture plans, 50 at a time, against a server holding 4 jobs at once and queueing up to 64
//! (beyond that it answers 503 and the client tries again, as HCP does). Every request must be accepted and get exactly one callback with the verdict the engine gives
//! that plan. The full run (1,000 requests, and the 100 MB plan) is `examples/runtask_load.rs`.

mod support;

use std::sync::Arc;
use std::time::Duration;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_requests_fifty_at_a_time_each_get_one_right_callback() {
    let (hcp, address) = start_hcp().await;
    let served = start_server(address, "LOAD", "  max_concurrent: 4\n  max_queued: 64\n", Duration::from_secs(5)).await;
    let fixtures = ["safe", "kms", "network", "sensitive", "destroy", "noop"];
    let mut expected = std::collections::HashMap::new();
    for fixture in fixtures {
        load_plan(&hcp, fixture, fixture);
        let plan = std::fs::read(support::fixtures().join("plans").join(format!("{fixture}.plan.json"))).unwrap();
        let mut settings = plangate::Settings::default();
        settings.config = Some(plangate::ConfigSource::File(served.config.clone()));
        let report = plangate::check(plangate::PlanInput::bytes(&plan), &settings.resolve().unwrap().check).unwrap();
        expected.insert(fixture, if report.verdict.passed { "passed" } else { "failed" });
    }
    let semaphore = Arc::new(tokio::sync::Semaphore::new(50));
    let mut sent = Vec::new();
    for i in 0..200 {
        let fixture = fixtures[i % fixtures.len()];
        let run = format!("run-{i}");
        let body = payload(address, fixture, &run, "post_plan");
        let permit = semaphore.clone().acquire_owned().await.unwrap();
        let url = served.url.clone();
        sent.push((
            run,
            fixture,
            tokio::spawn(async move {
                // As HCP does: a 503 (the queue is full) is tried again later.
                let mut status = signed(&url, &body).await.status();
                while status == 503 {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    status = signed(&url, &body).await.status();
                }
                drop(permit);
                status
            }),
        ));
    }
    for (run, fixture, answer) in sent {
        assert_eq!(answer.await.unwrap(), 200, "{run}");
        let results = callbacks_for(&hcp, &run, 1).await;
        assert_eq!(results[0]["data"]["attributes"]["status"], expected[fixture], "{run} ({fixture})");
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let counts = callback_counts(&hcp);
    assert_eq!(counts.len(), 200, "no request lost");
    assert!(counts.values().all(|&n| n == 1), "exactly one callback each");
}
