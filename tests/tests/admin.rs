//! Administrators' views: the audit log with filters and its verification (PL-04), and the
//! outbox with failed messages and resend (PL-01).

use std::time::Duration;

use anjoman_tests::fakes::SmsGateway;
use anjoman_tests::{Backend, GOOD_PASSWORD, TestApp, fresh_national_code, on_both_backends};
use diesel::RunQueryDsl;
use serde_json::json;

on_both_backends!(audit_log_lists_filters_and_verifies, failed_messages_are_visible_and_can_be_resent,);

async fn admin_token(app: &TestApp) -> String {
    app.login("0084575948", "Anjoman-Demo-1403").await.expect_status(200)["access_token"].as_str().unwrap().to_owned()
}

async fn audit_log_lists_filters_and_verifies(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let (code, login) = app.signed_in_person().await;
    let member = login["access_token"].as_str().unwrap().to_owned();
    app.login(&code, "Wrong-pass 1").await.expect_error(401, "invalid_credentials");
    let admin = admin_token(&app).await;
    // The background worker opens the demo election (two `system` entries) soon after start;
    // wait for it so the listing below does not grow between the two page reads.
    let mut opened = false;
    for _ in 0..100 {
        let frozen = app.get("/api/v1/audit-log?action=election.roll_frozen", Some(&admin)).await;
        opened = frozen.expect_status(200)["total"] == 1;
        if opened {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(opened, "the worker opens the demo election");

    let all = app.get("/api/v1/audit-log", Some(&admin)).await;
    let total = all.expect_status(200)["total"].as_i64().unwrap();
    assert!(total >= 7, "4 demo people, registration, logins, a failure: {total}");
    let seqs: Vec<i64> = all.body["items"].as_array().unwrap().iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first");

    let failed = app.get("/api/v1/audit-log?action=auth.login_failed", Some(&admin)).await;
    assert_eq!(failed.expect_status(200)["total"], 1);
    assert_eq!(failed.body["items"][0]["object_id"], code.as_str());

    let page = app.get("/api/v1/audit-log?per_page=2&page=2", Some(&admin)).await;
    assert_eq!(page.expect_status(200)["items"].as_array().unwrap().len(), 2);
    assert_eq!(page.body["items"][0]["seq"].as_i64().unwrap(), seqs[2]);

    let future = app.get("/api/v1/audit-log?from=2999-01-01T00:00:00Z", Some(&admin)).await;
    assert_eq!(future.expect_status(200)["total"], 0);
    app.get("/api/v1/audit-log?from=yesterday", Some(&admin)).await.expect_error(400, "invalid_query");
    app.get("/api/v1/audit-log?per_page=1000", Some(&admin)).await.expect_error(400, "validation_failed");
    app.get("/api/v1/audit-log", Some(&member)).await.expect_error(403, "forbidden");
    app.get("/api/v1/audit-log", None).await.expect_error(401, "unauthorized");

    let verdict = app.get("/api/v1/audit-log/verification", Some(&admin)).await;
    assert_eq!(verdict.expect_status(200)["intact"], true);
    diesel::sql_query("UPDATE audit_log SET action = 'auth.nothing' WHERE seq = 2")
        .execute(&mut app.db.connect())
        .unwrap();
    let verdict = app.get("/api/v1/audit-log/verification", Some(&admin)).await;
    assert_eq!(verdict.expect_status(200)["intact"], false);
    assert_eq!(verdict.body["broken_at"], 2);
}

async fn failed_messages_are_visible_and_can_be_resent(backend: Backend) {
    let gateway = SmsGateway::start(2).await;
    let gw = gateway.url();
    let app = TestApp::spawn_with(
        backend,
        &[
            ("ANJOMAN_SMS_PROVIDER", "kavenegar"),
            ("ANJOMAN_SMS_API_URL", &gw),
            ("ANJOMAN_SMS_API_KEY", "k"),
            ("ANJOMAN_OUTBOX_MAX_ATTEMPTS", "2"),
        ],
        &["--demo"],
    )
    .await;
    let code = fresh_national_code();
    let body = json!({"national_code": code, "password": GOOD_PASSWORD, "first_name": "a", "last_name": "b", "mobile": "09125550000"});
    app.post("/api/v1/auth/register", None, &body).await.expect_status(201);
    app.post("/api/v1/auth/recovery", None, &json!({"national_code": code})).await.expect_status(202);
    let admin = admin_token(&app).await;

    let mut failed = serde_json::Value::Null;
    for _ in 0..100 {
        failed = app.get("/api/v1/outbox?status=failed", Some(&admin)).await.body;
        if failed["total"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(failed["total"], 1, "{failed}");
    let msg = &failed["items"][0];
    assert_eq!(
        (msg["channel"].as_str(), msg["recipient"].as_str(), msg["attempts"].as_i64()),
        (Some("sms"), Some("09125550000"), Some(2))
    );
    assert!(msg["last_error"].as_str().unwrap().contains("500"));
    assert!(msg.get("body").is_none(), "the text (with its code) is never shown");
    let id = msg["id"].as_str().unwrap().to_owned();

    let (code_member, member) = app.signed_in_person().await;
    let _ = code_member;
    let member_token = member["access_token"].as_str().unwrap();
    app.post(&format!("/api/v1/outbox/{id}/resend"), Some(member_token), &json!({}))
        .await
        .expect_error(403, "forbidden");
    app.post("/api/v1/outbox/no-such/resend", Some(&admin), &json!({})).await.expect_error(404, "not_found");
    app.post(&format!("/api/v1/outbox/{id}/resend"), Some(&admin), &json!({})).await.expect_status(204);
    gateway.wait_for("09125550000").await;
    app.post(&format!("/api/v1/outbox/{id}/resend"), Some(&admin), &json!({}))
        .await
        .expect_error(409, "not_resendable");
    app.get("/api/v1/outbox?status=bogus", Some(&admin)).await.expect_error(400, "validation_failed");
}
