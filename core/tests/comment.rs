//! The sticky-comment engine against scripted answers: what it refuses to do whatever an API (or
//! an attacker who controls one answer) says. The providers' behaviour end to end is tested
//! against the stand-in APIs in the Python suite (`bindings-python/tests/test_comment.py`).

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Mutex;

use plangate::comment::{self, Action, Comment, Http, HttpRequest, HttpResponse, Place, Provider, Target};
use plangate::resilience::{Clock, Sleep, SystemClock};

/// Answers from a script, recording every request (URL and whether it carried the token).
struct Scripted {
    answers: Mutex<Vec<HttpResponse>>,
    seen: Mutex<Vec<(String, String, bool)>>,
}

impl Scripted {
    fn new(answers: Vec<HttpResponse>) -> Scripted {
        Scripted { answers: Mutex::new(answers.into_iter().rev().collect()), seen: Mutex::default() }
    }
}

impl Http for Scripted {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, String> {
        let token = request.headers.iter().any(|(_, v)| v.contains("s3cret-token"));
        self.seen.lock().unwrap().push((request.method.as_str().into(), request.url.clone(), token));
        self.answers.lock().unwrap().pop().ok_or_else(|| "no answer scripted".to_string())
    }
}

struct NoSleep(Vec<f64>);
impl Sleep for NoSleep {
    fn sleep(&mut self, seconds: f64) {
        self.0.push(seconds);
    }
}

/// Time that passes only by sleeping.
#[derive(Clone, Default)]
struct Virtual(Rc<Cell<f64>>, Rc<Cell<Vec<f64>>>);
impl Clock for Virtual {
    fn now(&self) -> f64 {
        self.0.get()
    }
}
impl Sleep for Virtual {
    fn sleep(&mut self, seconds: f64) {
        self.0.set(self.0.get() + seconds);
        let mut slept = self.1.take();
        slept.push(seconds);
        self.1.set(slept);
    }
}

fn ok(body: &str) -> HttpResponse {
    HttpResponse::new(200, Vec::new(), body.to_string())
}

fn github() -> Target {
    Target::new(
        Place::Github { api: "https://api.github.test".into(), repository: "o/r".into(), number: 7, author: None },
        Some("s3cret-token".into()),
    )
}

#[test]
fn a_next_link_to_another_host_is_refused_and_the_token_stays_home() {
    let page = HttpResponse::new(
        200,
        vec![("Link".into(), r#"<https://evil.test/steal?page=2>; rel="next""#.into())],
        "[]".into(),
    );
    let http = Scripted::new(vec![ok(r#"{"login": "bot"}"#), page]);
    let outcome = comment::post(&github(), &Comment::new("k", "body"), &http, &SystemClock, &mut NoSleep(Vec::new()));
    assert_eq!(outcome.action, Action::NotWritten);
    assert!(outcome.warnings[0].contains("refused, the URL is not on the API's origin"), "{:?}", outcome.warnings);
    let seen = http.seen.lock().unwrap();
    assert!(seen.iter().all(|(_, url, _)| url.starts_with("https://api.github.test/")), "{seen:?}");
    assert!(seen.iter().all(|(_, _, token)| *token));
}

#[test]
fn retries_follow_retry_after_and_stop_at_the_deadline() {
    let limited = || HttpResponse::new(429, vec![("Retry-After".into(), "30".into())], String::new());
    let http = Scripted::new(vec![limited(), limited(), limited(), limited()]);
    let clock = Virtual::default();
    let mut sleep = clock.clone();
    let outcome = comment::post(&github(), &Comment::new("k", "body").timeout(45.0), &http, &clock, &mut sleep);
    assert_eq!(outcome.action, Action::NotWritten);
    // Retry-After (30 s) is a floor under each delay, capped at 20 s; a third wait would end past
    // the 45 s deadline, so it is not made.
    assert_eq!(clock.1.take(), [20.0, 20.0]);
    assert!(outcome.warnings[0].contains("HTTP 429 (rate limited)"), "{:?}", outcome.warnings);
}

#[test]
fn a_personal_token_that_cannot_say_who_it_is_touches_nothing() {
    let refused = HttpResponse::new(403, Vec::new(), r#"{"message": "Resource not accessible"}"#.into());
    let http = Scripted::new(vec![refused]);
    let outcome = comment::post(&github(), &Comment::new("k", "body"), &http, &SystemClock, &mut NoSleep(Vec::new()));
    assert_eq!(outcome.action, Action::NotWritten);
    assert_eq!(http.seen.lock().unwrap().len(), 1, "only GET /user");
}

#[test]
fn bodies_fit_each_provider_and_bitbucket_gets_no_html() {
    let plan = serde_json::json!({"format_version": "1.2", "resource_changes": (0..3000).map(|i| serde_json::json!({
        "address": format!("aws_sqs_queue.queue_with_a_rather_long_name_number_{i}"), "type": "aws_sqs_queue",
        "name": format!("queue_with_a_rather_long_name_number_{i}"),
        "change": {"actions": ["delete"], "before": {}, "after": null}})).collect::<Vec<_>>()});
    let bytes = serde_json::to_vec(&plan).unwrap();
    let options = plangate::CheckOptions::new(plangate::Policy::preset(plangate::Environment::Staging));
    let report = plangate::check(plangate::PlanInput::bytes(&bytes), &options).unwrap();
    let run = plangate::report::Run::new(
        vec![serde_json::from_value(serde_json::json!({"plan": "big.json", "report": report})).unwrap()],
        Vec::new(),
        None,
    );
    let places = [
        github().place,
        Place::Gitlab { api: "https://gl.test/api/v4".into(), project: "1".into(), merge_request: 1, web: None },
        Place::AzureDevops {
            collection: "https://az.test/o".into(),
            project: "p".into(),
            repository: "r".into(),
            pull_request: 1,
        },
        Place::Bitbucket {
            api: "https://bb.test/2.0".into(),
            workspace: "w".into(),
            repository: "r".into(),
            pull_request: 1,
        },
    ];
    for place in places {
        let target = Target::new(place, None);
        let provider = target.provider();
        let body = comment::body(&run, &target);
        assert!(body.chars().count() + 200 < provider.limit(), "{provider:?}: {}", body.chars().count());
        assert!(body.contains("more items not shown") || provider == Provider::Gitlab, "{provider:?}");
        assert_eq!(body.contains("<details>"), provider != Provider::Bitbucket, "{provider:?}");
    }
}
