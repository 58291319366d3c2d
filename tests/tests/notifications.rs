//! The outbox against real servers (PL-01), one-time codes, password recovery by both options
//! (ID-05, ID-03) and inbound SMS (ID-10).

use std::time::Duration;

use anjoman_tests::fakes::{SmsGateway, SmtpSink, sign};
use anjoman_tests::{Backend, GOOD_PASSWORD, INBOUND_SMS_SECRET, TestApp, fresh_national_code, on_both_backends};
use diesel::RunQueryDsl;
use serde_json::{Value, json};

on_both_backends!(
    reset_code_arrives_by_sms_and_email_and_sets_a_new_password,
    gateway_failing_three_times_then_succeeding_delivers_once,
    one_time_codes_allow_five_wrong_tries_across_new_codes,
    sms_recovery_resets_to_the_national_code_from_the_registered_mobile_only,
    inbound_sms_with_a_bad_signature_or_replayed_changes_nothing,
    email_change_by_sms_from_the_registered_mobile,
    sms_recovery_is_refused_to_administrators,
    message_of_a_killed_process_is_sent_after_restart,
    codes_never_reach_the_log_with_real_providers,
    a_waiting_code_goes_before_a_backlog_of_notices,
);

struct World {
    app: TestApp,
    smtp: SmtpSink,
    gateway: SmsGateway,
}

async fn world(backend: Backend, fail_first: usize, args: &[&str]) -> World {
    let smtp = SmtpSink::start().await;
    let gateway = SmsGateway::start(fail_first).await;
    let (smtp_url, gw_url) = (smtp.url(), gateway.url());
    let app = TestApp::spawn_with(
        backend,
        &[
            ("ANJOMAN_SMS_PROVIDER", "kavenegar"),
            ("ANJOMAN_SMS_API_URL", &gw_url),
            ("ANJOMAN_SMS_API_KEY", "test-key"),
            ("ANJOMAN_SMTP_URL", &smtp_url),
        ],
        args,
    )
    .await;
    World { app, smtp, gateway }
}

/// Registers a person with this mobile and e-mail.
async fn person(app: &TestApp, mobile: &str, email: &str) -> String {
    let code = fresh_national_code();
    let body = json!({"national_code": code, "password": GOOD_PASSWORD, "first_name": "رضا", "last_name": "امینی", "mobile": mobile, "email": email});
    app.post("/api/v1/auth/register", None, &body).await.expect_status(201);
    code
}

fn outbox_rows(app: &TestApp) -> Vec<(String, String, i32)> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        channel: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        status: String,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        attempts: i32,
    }
    let rows: Vec<Row> = diesel::sql_query("SELECT channel, status, attempts FROM outbox_messages ORDER BY channel")
        .load(&mut app.db.connect())
        .unwrap();
    rows.into_iter().map(|r| (r.channel, r.status, r.attempts)).collect()
}

async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..300 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn reset_code_arrives_by_sms_and_email_and_sets_a_new_password(backend: Backend) {
    let w = world(backend, 0, &[]).await;
    let code = person(&w.app, "09121110001", "reza@example.ir").await;
    let res = w.app.post("/api/v1/auth/recovery", None, &json!({"national_code": code})).await;
    let known = res.expect_status(202)["message"].clone();
    // An unknown national code gets the same answer and sends nothing.
    let res = w.app.post("/api/v1/auth/recovery", None, &json!({"national_code": fresh_national_code()})).await;
    assert_eq!(res.expect_status(202)["message"], known);

    let sms = w.gateway.wait_for("09121110001").await;
    assert!(sms.path.ends_with("/v1/test-key/verify/lookup.json"), "{}", sms.path);
    assert_eq!(sms.form["template"], "anjoman-reset");
    let otp = sms.form["token"].clone();
    assert_eq!(otp.len(), 6);
    let mail = w.smtp.wait_for("reza@example.ir").await;
    assert!(mail.text().contains(&otp), "the e-mail carries the same code: {}", mail.text());
    assert_eq!(w.app.count("outbox_messages"), 2);

    // Wrong code, weak password: refused; right code: the new password works, the old not.
    let reset = |c: &str, p: &str| json!({"national_code": code, "code": c, "new_password": p});
    let wrong = if otp == "000000" { "111111" } else { "000000" };
    w.app
        .post("/api/v1/auth/recovery/reset", None, &reset(wrong, "Brand-New pass 7"))
        .await
        .expect_error(400, "validation_failed");
    w.app
        .post("/api/v1/auth/recovery/reset", None, &reset(&otp, "password"))
        .await
        .expect_error(400, "validation_failed");
    w.app.post("/api/v1/auth/recovery/reset", None, &reset(&otp, "Brand-New pass 7")).await.expect_status(204);
    w.app.login(&code, GOOD_PASSWORD).await.expect_error(401, "invalid_credentials");
    w.app.login(&code, "Brand-New pass 7").await.expect_status(200);
    // Single use.
    w.app
        .post("/api/v1/auth/recovery/reset", None, &reset(&otp, "Another-pass 88"))
        .await
        .expect_error(400, "validation_failed");
}

async fn gateway_failing_three_times_then_succeeding_delivers_once(backend: Backend) {
    let w = world(backend, 3, &[]).await;
    let code = person(&w.app, "09121110002", "").await;
    w.app.post("/api/v1/auth/recovery", None, &json!({"national_code": code})).await.expect_status(202);
    let sms = w.gateway.wait_for("09121110002").await;
    assert!(!sms.form["token"].is_empty());
    // Delivery is polled afterwards.
    wait_until("delivery", || outbox_rows(&w.app).iter().any(|(_, s, _)| s == "delivered")).await;
    let calls = w.gateway.calls.lock().unwrap().clone();
    let sends: Vec<_> = calls.iter().filter(|c| !c.path.ends_with("/sms/status.json")).collect();
    assert_eq!(sends.len(), 4, "three refusals, one success");
    assert_eq!(sends.iter().filter(|c| c.accepted).count(), 1);
    assert_eq!(outbox_rows(&w.app), vec![("sms".to_owned(), "delivered".to_owned(), 4)]);
}

async fn one_time_codes_allow_five_wrong_tries_across_new_codes(backend: Backend) {
    let w = world(backend, 0, &[]).await;
    let code = person(&w.app, "09121110003", "").await;
    let reset = |c: &str| json!({"national_code": code, "code": c, "new_password": "Brand-New pass 7"});
    w.app.post("/api/v1/auth/recovery", None, &json!({"national_code": code})).await.expect_status(202);
    let first = w.gateway.wait_for("09121110003").await.form["token"].clone();
    let wrong = if first == "000000" { "111111" } else { "000000" };
    for _ in 0..3 {
        w.app.post("/api/v1/auth/recovery/reset", None, &reset(wrong)).await.expect_error(400, "validation_failed");
    }
    // A new code replaces the old one but keeps the count of wrong tries.
    w.app.post("/api/v1/auth/recovery", None, &json!({"national_code": code})).await.expect_status(202);
    wait_until("second code", || w.gateway.accepted_for("09121110003").len() == 2).await;
    let second = w.gateway.accepted_for("09121110003")[1].form["token"].clone();
    w.app.post("/api/v1/auth/recovery/reset", None, &reset(&first)).await.expect_error(400, "validation_failed");
    let res = w
        .app
        .post("/api/v1/auth/recovery/reset", None, &reset(if second == "000000" { "111111" } else { "000000" }))
        .await;
    res.expect_error(400, "code_attempts_exhausted");
    w.app.post("/api/v1/auth/recovery/reset", None, &reset(&second)).await.expect_error(400, "code_attempts_exhausted");
    w.app.login(&code, GOOD_PASSWORD).await.expect_status(200);
}

async fn inbound(app: &TestApp, id: &str, from: &str, text: &str) -> anjoman_tests::Answer {
    let body = serde_json::to_vec(&json!({"message_id": id, "from": from, "to": "10004346", "text": text})).unwrap();
    let req = app
        .client
        .post(app.url("/api/v1/sms/inbound"))
        .header("content-type", "application/json")
        .header("x-anjoman-signature", sign(INBOUND_SMS_SECRET, &body))
        .body(body);
    app.send(req).await
}

async fn sms_recovery_resets_to_the_national_code_from_the_registered_mobile_only(backend: Backend) {
    let w = world(backend, 0, &[]).await;
    let code = person(&w.app, "09121110004", "").await;
    let res = w.app.post("/api/v1/auth/recovery/sms", None, &json!({"national_code": code})).await;
    let body: Value = res.expect_status(201).clone();
    let (id, sms_code) = (body["id"].as_str().unwrap().to_owned(), body["code"].as_str().unwrap().to_owned());
    assert_eq!(body["system_number"], "10004346");
    let url = format!("/api/v1/auth/recovery/sms/{id}");
    let status = |_: &str| w.app.get(&url, None);
    assert_eq!(status("").await.body["status"], "pending");
    // From another mobile: nothing happens.
    let other = inbound(&w.app, "m-1", "09129999999", &sms_code).await;
    assert_eq!(other.expect_status(200)["outcome"], "recovery_from_unregistered_mobile");
    w.app.login(&code, GOOD_PASSWORD).await.expect_status(200);
    assert_eq!(status("").await.body["status"], "pending");
    // From the registered mobile (in another form, with Persian digits): the password is reset.
    let persian: String = sms_code.chars().map(|c| char::from_u32(0x06F0 + c.to_digit(10).unwrap()).unwrap()).collect();
    let ok = inbound(&w.app, "m-2", "+989121110004", &format!(" {persian} ")).await;
    assert_eq!(ok.expect_status(200)["outcome"], "password_reset");
    assert_eq!(status("").await.body["status"], "completed");
    w.app.login(&code, GOOD_PASSWORD).await.expect_error(401, "invalid_credentials");
    let login = w.app.login(&code, &code).await;
    assert_eq!(login.expect_status(200)["must_change_password"], true);
    // The same code again does nothing more.
    let again = inbound(&w.app, "m-3", "09121110004", &sms_code).await;
    assert_eq!(again.expect_status(200)["outcome"], "recovery_code_unknown");
    // Unknown national codes get a code too (no enumeration) that never resets anything.
    let res = w.app.post("/api/v1/auth/recovery/sms", None, &json!({"national_code": fresh_national_code()})).await;
    let stranger = res.expect_status(201)["code"].as_str().unwrap().to_owned();
    assert_eq!(inbound(&w.app, "m-4", "09121110004", &stranger).await.body["outcome"], "recovery_code_unknown");
}

async fn inbound_sms_with_a_bad_signature_or_replayed_changes_nothing(backend: Backend) {
    let w = world(backend, 0, &[]).await;
    let code = person(&w.app, "09121110005", "old@example.ir").await;
    let text = format!("EMAIL {code} new@example.ir");
    let body = serde_json::to_vec(&json!({"message_id": "x-1", "from": "09121110005", "to": "10004346", "text": text}))
        .unwrap();
    let post = |sig: Option<String>| {
        let mut req = w
            .app
            .client
            .post(w.app.url("/api/v1/sms/inbound"))
            .header("content-type", "application/json")
            .body(body.clone());
        if let Some(s) = sig {
            req = req.header("x-anjoman-signature", s);
        }
        w.app.send(req)
    };
    post(None).await.expect_error(401, "unauthorized");
    post(Some(sign("wrong-secret", &body))).await.expect_error(401, "unauthorized");
    post(Some("sha256=00".into())).await.expect_error(401, "unauthorized");
    assert_eq!(w.app.count("inbound_sms"), 0);
    let token = w.app.login(&code, GOOD_PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(w.app.get("/api/v1/me", Some(&token)).await.body["email"], "old@example.ir");
    // Signed: handled once; replays are recognised and change nothing more.
    assert_eq!(post(Some(sign(INBOUND_SMS_SECRET, &body))).await.expect_status(200)["outcome"], "email_changed");
    w.app.patch("/api/v1/me", Some(&token), &json!({"email": "mine@example.ir"})).await.expect_status(200);
    assert_eq!(post(Some(sign(INBOUND_SMS_SECRET, &body))).await.expect_status(200)["outcome"], "duplicate");
    assert_eq!(w.app.get("/api/v1/me", Some(&token)).await.body["email"], "mine@example.ir");
    assert_eq!(w.app.count("inbound_sms"), 1);
    // Malformed JSON with a valid signature: the envelope, nothing stored.
    let junk = b"{not json".to_vec();
    let req = w
        .app
        .client
        .post(w.app.url("/api/v1/sms/inbound"))
        .header("x-anjoman-signature", sign(INBOUND_SMS_SECRET, &junk))
        .body(junk);
    w.app.send(req).await.expect_error(400, "invalid_body");
}

async fn email_change_by_sms_from_the_registered_mobile(backend: Backend) {
    let w = world(backend, 0, &[]).await;
    let code = person(&w.app, "09121110006", "old@example.ir").await;
    let from_other = inbound(&w.app, "e-1", "09120000000", &format!("EMAIL {code} evil@example.ir")).await;
    assert_eq!(from_other.expect_status(200)["outcome"], "email_change_from_unregistered_mobile");
    let malformed = inbound(&w.app, "e-2", "09121110006", &format!("EMAIL {code} not-an-email")).await;
    assert_eq!(malformed.expect_status(200)["outcome"], "email_change_malformed");
    let ok = inbound(&w.app, "e-3", "09121110006", &format!("email {code} New@Example.IR")).await;
    assert_eq!(ok.expect_status(200)["outcome"], "email_changed");
    let token = w.app.login(&code, GOOD_PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(w.app.get("/api/v1/me", Some(&token)).await.body["email"], "New@example.ir");
    let unknown = inbound(&w.app, "e-4", "09121110006", "hello there").await;
    assert_eq!(unknown.expect_status(200)["outcome"], "unrecognised");
}

async fn sms_recovery_is_refused_to_administrators(backend: Backend) {
    let w = world(backend, 0, &["--demo"]).await;
    let res = w.app.post("/api/v1/auth/recovery/sms", None, &json!({"national_code": "0084575948"})).await;
    res.expect_error(409, "sms_recovery_not_for_admins");
    assert_eq!(w.app.count("sms_recovery_requests"), 0);
    // Option 1 stays open to them.
    w.app.post("/api/v1/auth/recovery", None, &json!({"national_code": "0084575948"})).await.expect_status(202);
}

async fn message_of_a_killed_process_is_sent_after_restart(backend: Backend) {
    let smtp = SmtpSink::start().await;
    let url = smtp.url();
    let mut first = TestApp::spawn_with(backend, &[("ANJOMAN_SMTP_URL", &url), ("ANJOMAN_WORKERS", "off")], &[]).await;
    let code = person(&first, "", "crash@example.ir").await;
    first.post("/api/v1/auth/recovery", None, &json!({"national_code": code})).await.expect_status(202);
    // Committed but not sent; and a message whose sender died holding its lease.
    let mut conn = first.db.connect();
    diesel::sql_query(
        "INSERT INTO outbox_messages (id, channel, recipient, subject, body, purpose, status, attempts, next_attempt_at, \
         lease_owner, lease_expires_at, created_at) VALUES ('orphan', 'email', 'orphan@example.ir', 's', 'b', 'test', \
         'sending', 0, '2000-01-01 00:00:00', 'dead-process', '2000-01-01 00:00:00', '2000-01-01 00:00:00')",
    )
    .execute(&mut conn)
    .unwrap();
    first.kill();
    assert!(smtp.mails.lock().unwrap().is_empty());
    let second = TestApp::spawn_sharing(&first, &[("ANJOMAN_WORKERS", "on")]).await;
    smtp.wait_for("crash@example.ir").await;
    smtp.wait_for("orphan@example.ir").await;
    wait_until("both sent", || outbox_rows(&second).iter().all(|(_, s, _)| s == "sent")).await;
    assert_eq!(smtp.mails.lock().unwrap().len(), 2);
}

/// Two processes on one PostgreSQL database: every message is sent exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_send_each_message_exactly_once_postgres() {
    let gateway = SmsGateway::start(0).await;
    let gw = gateway.url();
    let env = [
        ("ANJOMAN_SMS_PROVIDER", "kavenegar"),
        ("ANJOMAN_SMS_API_URL", gw.as_str()),
        ("ANJOMAN_SMS_API_KEY", "k"),
        ("ANJOMAN_WORKERS", "off"),
    ];
    let a = TestApp::spawn_with(Backend::Postgres, &env, &[]).await;
    let mut conn = a.db.connect();
    for i in 0..60 {
        diesel::sql_query(format!(
            "INSERT INTO outbox_messages (id, channel, recipient, body, purpose, status, attempts, next_attempt_at, created_at) \
             VALUES ('m{i}', 'sms', '0912000{i:04}', 'message {i}', 'test', 'pending', 0, '2000-01-01 00:00:00', '2000-01-01 00:00:00')"
        ))
        .execute(&mut conn)
        .unwrap();
    }
    let b = TestApp::spawn_sharing(&a, &[("ANJOMAN_WORKERS", "on")]).await;
    let c = TestApp::spawn_sharing(&a, &[("ANJOMAN_WORKERS", "on")]).await;
    wait_until("all sent", || outbox_rows(&b).iter().all(|(_, s, _)| s == "sent" || s == "delivered")).await;
    let calls = gateway.calls.lock().unwrap().clone();
    let mut bodies: Vec<String> =
        calls.iter().filter(|c| c.path.ends_with("/sms/send.json")).map(|c| c.form["message"].clone()).collect();
    bodies.sort();
    let mut expected: Vec<String> = (0..60).map(|i| format!("message {i}")).collect();
    expected.sort();
    assert_eq!(bodies, expected, "each message exactly once");
    drop((b, c));
}

async fn codes_never_reach_the_log_with_real_providers(backend: Backend) {
    let smtp = SmtpSink::start().await;
    // An SMS gateway that cannot be reached: its errors name the URL, which holds the key.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (smtp_url, gw_url) = (smtp.url(), format!("http://127.0.0.1:{closed}"));
    let app = TestApp::spawn_with(
        backend,
        &[
            ("ANJOMAN_SMS_PROVIDER", "kavenegar"),
            ("ANJOMAN_SMS_API_URL", &gw_url),
            ("ANJOMAN_SMS_API_KEY", "secret-api-key"),
            ("ANJOMAN_SMTP_URL", &smtp_url),
            ("ANJOMAN_LOG", "debug"),
        ],
        &[],
    )
    .await;
    let code = person(&app, "09121110009", "log@example.ir").await;
    app.post("/api/v1/auth/recovery", None, &json!({"national_code": code})).await.expect_status(202);
    let mail = smtp.wait_for("log@example.ir").await.text();
    let otp: String = mail.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).unwrap().to_owned();
    wait_until("a failed SMS attempt", || app.server_log().contains("send failed")).await;
    let log = app.server_log();
    assert!(log.contains("gateway unreachable"), "the failure is logged");
    assert!(!log.contains(&otp), "the code must not be logged");
    assert!(!log.contains("secret-api-key"), "nor the gateway's key");
}

/// A password-reset code asked for while 300 bulk notices wait (an election's announcement, say)
/// is among the first batch sent; the backlog then goes out in full batches without waiting a
/// poll interval between them (the poll is 10 s here: one-batch-a-poll would take 2.5 minutes).
async fn a_waiting_code_goes_before_a_backlog_of_notices(backend: Backend) {
    let gateway = SmsGateway::start(0).await;
    let gw = gateway.url();
    let mut env = vec![
        ("ANJOMAN_SMS_PROVIDER", "kavenegar"),
        ("ANJOMAN_SMS_API_URL", gw.as_str()),
        ("ANJOMAN_SMS_API_KEY", "k"),
        ("ANJOMAN_WORKERS", "off"),
    ];
    let first = TestApp::spawn_with(backend, &env, &[]).await;
    let code = person(&first, "09121119999", "").await;
    {
        let mut conn = first.db.connect();
        for i in 0..300 {
            diesel::sql_query(format!(
                "INSERT INTO outbox_messages (id, channel, recipient, body, purpose, status, attempts, next_attempt_at, created_at) \
                 VALUES ('bulk{i}', 'sms', '0912100{i:04}', 'notice {i}', 'election_announcement', 'pending', 0, '2000-01-01 00:00:00', '2000-01-01 00:00:00')"
            ))
            .execute(&mut conn)
            .unwrap();
        }
    }
    first.post("/api/v1/auth/recovery", None, &json!({"national_code": code})).await.expect_status(202);
    env.retain(|(k, _)| *k != "ANJOMAN_WORKERS");
    env.extend([("ANJOMAN_WORKERS", "on"), ("ANJOMAN_OUTBOX_POLL_MS", "10000")]);
    let worker = TestApp::spawn_sharing(&first, &env).await;
    gateway.wait_for("09121119999").await;
    let sends = |calls: &[anjoman_tests::fakes::GatewayCall]| -> Vec<String> {
        calls
            .iter()
            .filter(|c| !c.path.ends_with("/sms/status.json"))
            .filter_map(|c| c.form.get("receptor").cloned())
            .collect()
    };
    let order = sends(&gateway.calls.lock().unwrap());
    let at = order.iter().position(|r| r == "09121119999").unwrap();
    assert!(at < 20, "the code was send number {} of {:?}", at + 1, order.len());
    wait_until("the backlog sent", || sends(&gateway.calls.lock().unwrap()).len() == 301).await;
    drop(worker);
}
