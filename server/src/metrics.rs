//! Counters for Prometheus (`GET /metrics`): requests by how they were answered, jobs by verdict,
//! callbacks that could not be delivered, jobs in flight, and the time from request to callback.

use std::sync::atomic::{AtomicU64, Ordering};

/// The server's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    pub accepted: AtomicU64,
    pub unauthorized: AtomicU64,
    pub invalid: AtomicU64,
    pub busy: AtomicU64,
    pub passed: AtomicU64,
    pub failed: AtomicU64,
    pub unreadable: AtomicU64,
    pub callback_errors: AtomicU64,
    pub in_flight: AtomicU64,
    /// Request-to-callback time of finished jobs, in microseconds, and how many.
    pub job_micros: AtomicU64,
    pub jobs: AtomicU64,
}

impl Metrics {
    pub fn add(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut out = String::new();
        out.push_str("# HELP plangate_runtask_requests_total Run-task requests by answer.\n# TYPE plangate_runtask_requests_total counter\n");
        for (answer, counter) in [
            ("accepted", &self.accepted),
            ("unauthorized", &self.unauthorized),
            ("invalid", &self.invalid),
            ("busy", &self.busy),
        ] {
            out.push_str(&format!("plangate_runtask_requests_total{{answer=\"{answer}\"}} {}\n", get(counter)));
        }
        out.push_str(
            "# HELP plangate_runtask_jobs_total Finished jobs by result.\n# TYPE plangate_runtask_jobs_total counter\n",
        );
        for (result, counter) in [("passed", &self.passed), ("failed", &self.failed), ("unreadable", &self.unreadable)]
        {
            out.push_str(&format!("plangate_runtask_jobs_total{{result=\"{result}\"}} {}\n", get(counter)));
        }
        out.push_str(&format!(
            "# HELP plangate_runtask_callback_errors_total Results that could not be delivered.\n# TYPE plangate_runtask_callback_errors_total counter\nplangate_runtask_callback_errors_total {}\n",
            get(&self.callback_errors)
        ));
        out.push_str(&format!(
            "# HELP plangate_runtask_jobs_in_flight Jobs admitted and not finished.\n# TYPE plangate_runtask_jobs_in_flight gauge\nplangate_runtask_jobs_in_flight {}\n",
            get(&self.in_flight)
        ));
        out.push_str(&format!(
            "# HELP plangate_runtask_job_seconds Time from request to callback.\n# TYPE plangate_runtask_job_seconds summary\nplangate_runtask_job_seconds_sum {}\nplangate_runtask_job_seconds_count {}\n",
            get(&self.job_micros) as f64 / 1e6,
            get(&self.jobs)
        ));
        out
    }
}
