//! Criterion benches: the whole analysis of every fixture plan, and, when `PLANGATE_BIG_PLAN` names
//! the 100 MB plan from `bigplan.py`, the analysis beside the `serde_json` → `IgnoredAny` floor.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use plangate::{check, CheckOptions, PlanInput, Policy};

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/plans");
    let mut plans: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("fixtures/plans exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".plan.json"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().replace(".plan.json", ""), std::fs::read(&p).unwrap()))
        .collect();
    plans.sort();
    plans
}

fn fixture_plans(c: &mut Criterion) {
    let options = CheckOptions::new(Policy::default());
    let mut group = c.benchmark_group("analyze");
    for (name, bytes) in fixtures() {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(&name, |b| b.iter(|| check(PlanInput::bytes(&bytes), &options).unwrap()));
    }
    group.finish();
}

fn big_plan(c: &mut Criterion) {
    let Some(path) = std::env::var_os("PLANGATE_BIG_PLAN") else {
        eprintln!(
            "PLANGATE_BIG_PLAN not set: skipping the big-plan benches (make one with ../shared/tools/bigplan.py)"
        );
        return;
    };
    let bytes = std::fs::read(&path).expect("PLANGATE_BIG_PLAN is readable");
    let options = CheckOptions::new(Policy::default());
    let mut group = c.benchmark_group("big_plan");
    group.sample_size(10).throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("ignored_any_floor", |b| {
        b.iter(|| serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).unwrap())
    });
    group.bench_function("analyze", |b| {
        b.iter_batched(|| (), |()| check(PlanInput::bytes(&bytes), &options).unwrap(), BatchSize::PerIteration)
    });
    group.finish();
}

criterion_group!(benches, fixture_plans, big_plan);
criterion_main!(benches);
