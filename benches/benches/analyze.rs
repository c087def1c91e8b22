//! Criterion benches: the whole analysis of every fixture plan, each binary fixture read natively
//! beside its JSON twin, and, when `PLANGATE_BIG_PLAN` names the 100 MB plan from `bigplan.py`, each
//! stage of its analysis beside the `serde_json` → `IgnoredAny` floor: `split` (the streaming pass
//! alone), `parse` (and every entry normalized), `analyze` (the whole analysis, on every core, the
//! rules included) and `render` (its report as JSON, SARIF and Markdown); the stages before
//! `analyze` run on one thread. `PLANGATE_BIG_BINARY_PLAN` names a large binary plan made with
//! `gen.py`, benched natively. The whole-process ratios are `benches/whole_process.py`'s.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use plangate::plan::{stages, PlanReader};
use plangate::report::{render, RenderOptions};
use plangate::{check, CheckOptions, Format, PlanInput, Policy};

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

/// Binary plans read natively, and their `terraform show -json` twins read as JSON.
fn binary_plans(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/plans");
    let mut policy = Policy::default();
    policy.plan_reading.reader = PlanReader::Native;
    let options = CheckOptions::new(policy);
    let mut group = c.benchmark_group("binary");
    for name in
        ["pieces", "secrets", "controls"].iter().map(|n| format!("../plans-rules/{n}")).chain(["modules".into()])
    {
        let binary = std::fs::read(dir.join(format!("{name}.tfplan"))).expect("a binary fixture");
        let json = std::fs::read(dir.join(format!("{name}.plan.json"))).expect("its JSON twin");
        let label = name.rsplit('/').next().unwrap_or(&name).to_string();
        group.bench_function(format!("{label}/native"), |b| {
            b.iter(|| check(PlanInput::bytes(&binary), &options).unwrap())
        });
        group.bench_function(format!("{label}/json"), |b| b.iter(|| check(PlanInput::bytes(&json), &options).unwrap()));
    }
    if let Some(path) = std::env::var_os("PLANGATE_BIG_BINARY_PLAN") {
        let binary = std::fs::read(&path).expect("PLANGATE_BIG_BINARY_PLAN is readable");
        group.sample_size(10);
        group.bench_function("big/native", |b| b.iter(|| check(PlanInput::bytes(&binary), &options).unwrap()));
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
    group.bench_function("split", |b| b.iter(|| stages::split(&bytes).unwrap()));
    group.bench_function("parse", |b| b.iter(|| stages::parse(&bytes).unwrap()));
    group.bench_function("analyze", |b| {
        b.iter_batched(|| (), |()| check(PlanInput::bytes(&bytes), &options).unwrap(), BatchSize::PerIteration)
    });
    let report = check(PlanInput::bytes(&bytes), &options).unwrap();
    let render_options = RenderOptions::new("big.plan.json");
    for format in [Format::Json, Format::Sarif, Format::Markdown] {
        group.bench_function(format!("render/{format:?}").to_lowercase(), |b| {
            b.iter(|| render(&report, format, &render_options))
        });
    }
    group.finish();
}

criterion_group!(benches, fixture_plans, binary_plans, big_plan);
criterion_main!(benches);
