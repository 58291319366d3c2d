//! Payments (PL-02): invoices paid through the sandbox gateway with the real Zarinpal-v4
//! client; idempotent verification; reconciliation of lost callbacks.

use std::time::Duration;

use anjoman_tests::{Backend, TestApp, no_redirects, on_both_backends};
use diesel::RunQueryDsl;
use serde_json::{Value, json};

on_both_backends!(
    an_invoice_is_paid_through_the_gateway_and_credited_once,
    a_callback_with_a_changed_amount_is_refused,
    a_lost_callback_is_settled_by_reconciliation,
    cancelled_payments_can_be_retried_and_bad_requests_are_refused,
);

struct Setup {
    app: TestApp,
    payer: String,
    invoice: Value,
}

async fn setup(backend: Backend, env: &[(&str, &str)]) -> Setup {
    let app = TestApp::spawn_with(backend, env, &["--demo"]).await;
    let admin = app.login("0084575948", "Anjoman-Demo-1403").await.body["access_token"].as_str().unwrap().to_owned();
    let (code, login) = app.signed_in_person().await;
    let payer = login["access_token"].as_str().unwrap().to_owned();
    let res = app
        .post(
            "/api/v1/invoices",
            Some(&admin),
            &json!({"payer_national_code": code, "amount_rials": 1_500_000, "description": "حق عضویت ۱۴۰۵"}),
        )
        .await;
    let invoice = res.expect_status(201).clone();
    assert_eq!(invoice["status"], "pending");
    Setup { app, payer, invoice }
}

/// Starts paying; returns the sandbox authority.
async fn start(s: &Setup) -> String {
    let id = s.invoice["id"].as_str().unwrap();
    let res = s.app.post(&format!("/api/v1/invoices/{id}/pay"), Some(&s.payer), &json!({})).await;
    let redirect = res.expect_status(200)["redirect_url"].as_str().unwrap().to_owned();
    assert!(redirect.contains("/api/v1/payments/sandbox/pg/StartPay/S"), "{redirect}");
    let page = no_redirects().get(&redirect).send().await.unwrap();
    assert_eq!(page.status(), 303);
    let location = page.headers()["location"].to_str().unwrap().to_owned();
    location.strip_prefix("/sandbox-gateway/").expect("the sandbox page").to_owned()
}

/// The payer decides at the sandbox; returns the callback URL the gateway sends them to.
async fn decide(app: &TestApp, authority: &str, action: &str) -> String {
    let shown = app.get(&format!("/api/v1/payments/sandbox/payments/{authority}"), None).await;
    assert_eq!(shown.expect_status(200)["amount_rials"], 1_500_000);
    let res = app.post(&format!("/api/v1/payments/sandbox/payments/{authority}/{action}"), None, &json!({})).await;
    res.expect_status(200)["redirect_url"].as_str().unwrap().to_owned()
}

async fn callback(url: &str) -> String {
    let res = no_redirects().get(url).send().await.unwrap();
    assert_eq!(res.status(), 303, "{url}");
    res.headers()["location"].to_str().unwrap().to_owned()
}

fn paid_entries(app: &TestApp) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let rows: Vec<N> = diesel::sql_query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'invoice.paid'")
        .load(&mut app.db.connect())
        .unwrap();
    rows[0].n
}

async fn an_invoice_is_paid_through_the_gateway_and_credited_once(backend: Backend) {
    let s = setup(backend, &[]).await;
    let id = s.invoice["id"].as_str().unwrap();
    let authority = start(&s).await;
    let url = decide(&s.app, &authority, "pay").await;
    assert!(url.contains("/api/v1/payments/callback?Authority=") && url.ends_with("&Status=OK"), "{url}");
    assert_eq!(callback(&url).await, format!("/invoices/{id}?payment=paid"));
    let invoice = s.app.get(&format!("/api/v1/invoices/{id}"), Some(&s.payer)).await;
    assert_eq!(invoice.expect_status(200)["status"], "paid");
    assert!(invoice.body["ref_id"].as_str().is_some_and(|r| r.len() == 10));

    // Replayed 100 times, then 10 at once: credited (and handled) once.
    for _ in 0..100 {
        assert_eq!(callback(&url).await, format!("/invoices/{id}?payment=paid"));
    }
    let together = futures_util::future::join_all((0..10).map(|_| callback(&url))).await;
    assert!(together.iter().all(|l| l.ends_with("payment=paid")));
    assert_eq!(paid_entries(&s.app), 1);
    s.app
        .post(&format!("/api/v1/invoices/{id}/pay"), Some(&s.payer), &json!({}))
        .await
        .expect_error(409, "already_paid");
}

async fn a_callback_with_a_changed_amount_is_refused(backend: Backend) {
    let s = setup(backend, &[]).await;
    let id = s.invoice["id"].as_str().unwrap();
    let authority = start(&s).await;
    let url = decide(&s.app, &authority, "pay").await;
    // Our record now says another amount than the one paid: verification must refuse it.
    diesel::sql_query(format!("UPDATE invoices SET amount_rials = 2000000 WHERE id = '{id}'"))
        .execute(&mut s.app.db.connect())
        .unwrap();
    assert_eq!(callback(&url).await, format!("/invoices/{id}?payment=failed"));
    let invoice = s.app.get(&format!("/api/v1/invoices/{id}"), Some(&s.payer)).await;
    assert_eq!(invoice.expect_status(200)["status"], "pending");
    assert_eq!(paid_entries(&s.app), 0);
    // An unknown authority is not found.
    let res = no_redirects().get(s.app.url("/api/v1/payments/callback?Authority=S123&Status=OK")).send().await.unwrap();
    assert_eq!(res.status(), 404);
}

async fn a_lost_callback_is_settled_by_reconciliation(backend: Backend) {
    let s = setup(backend, &[("ANJOMAN_PAYMENT_RECONCILE_SECONDS", "1")]).await;
    let id = s.invoice["id"].as_str().unwrap();
    let authority = start(&s).await;
    let _never_followed = decide(&s.app, &authority, "pay").await;
    for _ in 0..100 {
        if s.app.get(&format!("/api/v1/invoices/{id}"), Some(&s.payer)).await.body["status"] == "paid" {
            assert_eq!(paid_entries(&s.app), 1);
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("reconciliation did not settle the payment");
}

async fn cancelled_payments_can_be_retried_and_bad_requests_are_refused(backend: Backend) {
    let s = setup(backend, &[]).await;
    let id = s.invoice["id"].as_str().unwrap();
    let authority = start(&s).await;
    let url = decide(&s.app, &authority, "cancel").await;
    assert!(url.ends_with("&Status=NOK"));
    assert_eq!(callback(&url).await, format!("/invoices/{id}?payment=cancelled"));
    s.app
        .post(&format!("/api/v1/payments/sandbox/payments/{authority}/pay"), None, &json!({}))
        .await
        .expect_error(409, "already_decided");
    let second = start(&s).await;
    assert_ne!(second, authority);
    let url = decide(&s.app, &second, "pay").await;
    assert_eq!(callback(&url).await, format!("/invoices/{id}?payment=paid"));

    let admin = s.app.login("0084575948", "Anjoman-Demo-1403").await.body["access_token"].as_str().unwrap().to_owned();
    let bad =
        |code: &str, amount: i64| json!({"payer_national_code": code, "amount_rials": amount, "description": "x"});
    let res = s.app.post("/api/v1/invoices", Some(&admin), &bad("0499370899", 0)).await;
    assert!(res.expect_error(400, "validation_failed")["fields"]["amount_rials"].is_array());
    let res = s.app.post("/api/v1/invoices", Some(&admin), &bad("0499370898", 1000)).await;
    assert!(res.expect_error(400, "validation_failed")["fields"]["payer_national_code"].is_array());
    let res = s.app.post("/api/v1/invoices", Some(&admin), &bad("0010350829", 1000)).await;
    res.expect_status(201);
    s.app.post("/api/v1/invoices", Some(&s.payer), &bad("0010350829", 1000)).await.expect_error(403, "forbidden");
    let (_, other) = s.app.signed_in_person().await;
    let other = other["access_token"].as_str().unwrap();
    s.app.get(&format!("/api/v1/invoices/{id}"), Some(other)).await.expect_error(404, "not_found");
    let mine = s.app.get("/api/v1/invoices", Some(&s.payer)).await;
    assert_eq!(mine.expect_status(200)["items"].as_array().unwrap().len(), 1);
    s.app.get("/api/v1/invoices?all=true", Some(&s.payer)).await.expect_error(403, "forbidden");
    let all = s.app.get("/api/v1/invoices?all=true", Some(&admin)).await;
    assert_eq!(all.expect_status(200)["items"].as_array().unwrap().len(), 2);
}

/// With a real gateway configured, the built-in test gateway is not there at all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_gateway_is_absent_when_a_real_gateway_is_configured() {
    let env = [
        ("ANJOMAN_PAYMENT_PROVIDER", "zarinpal"),
        ("ANJOMAN_ZARINPAL_MERCHANT_ID", "00000000-0000-0000-0000-000000000000"),
        ("ANJOMAN_ZARINPAL_URL", "http://127.0.0.1:9"),
    ];
    let app = TestApp::spawn_with(Backend::Sqlite, &env, &[]).await;
    let request = json!({"merchant_id": "x", "amount": 10_000, "callback_url": "http://x/", "description": "d"});
    app.post("/api/v1/payments/sandbox/pg/v4/payment/request.json", None, &request)
        .await
        .expect_error(404, "not_found");
    app.post(
        "/api/v1/payments/sandbox/pg/v4/payment/verify.json",
        None,
        &json!({"merchant_id": "x", "amount": 1, "authority": "A"}),
    )
    .await
    .expect_error(404, "not_found");
    app.get("/api/v1/payments/sandbox/payments/A0000", None).await.expect_error(404, "not_found");
    app.post("/api/v1/payments/sandbox/payments/A0000/pay", None, &json!({})).await.expect_error(404, "not_found");
    let start = no_redirects().get(app.url("/api/v1/payments/sandbox/pg/StartPay/A0000")).send().await.unwrap();
    assert_eq!(start.status(), 404);
}
