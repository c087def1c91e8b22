//! `rego-standalone POLICY.rego PLAN.json [NAMESPACE]`: evaluates a policy's `deny`, `violation` and
//! `warn` rules over a plan with `regorus` alone, as conftest would (the plan as it is, no masking),
//! and prints how many messages each gave. The baseline for plangate's own Rego evaluation.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(policy), Some(plan)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: rego-standalone POLICY.rego PLAN.json [NAMESPACE]");
        return ExitCode::from(3);
    };
    let namespace = args.get(3).map_or("main", String::as_str);
    match run(policy, plan, namespace) {
        Ok(failed) => ExitCode::from(u8::from(failed)),
        Err(e) => {
            eprintln!("rego-standalone: {e}");
            ExitCode::from(3)
        }
    }
}

fn run(policy: &str, plan: &str, namespace: &str) -> Result<bool, Box<dyn std::error::Error>> {
    let mut engine = regorus::Engine::new();
    engine.add_policy_from_file(policy)?;
    let text = std::fs::read(plan)?;
    let input: serde_json::Value = serde_json::from_slice(&text)?;
    engine.set_input(regorus::Value::from(input));
    let mut failed = false;
    for rule in ["deny", "violation", "warn"] {
        let value = engine.eval_rule(format!("data.{namespace}.{rule}"));
        let count = match value {
            Ok(regorus::Value::Set(set)) => set.len(),
            Ok(regorus::Value::Array(items)) => items.len(),
            Ok(_) => 0,
            // A rule the policy does not define.
            Err(_) => continue,
        };
        println!("{rule}: {count}");
        failed |= count > 0 && rule != "warn";
    }
    Ok(failed)
}
