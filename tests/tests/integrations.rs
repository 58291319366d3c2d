//! Integrations (PL-06): API keys with scopes, expiry, rotation, revocation, rate and audit;
//! verification endpoints within the key's owner; signed webhooks through the outbox; and the
//! example client in `examples/` run against a real server. On both backends.

use std::time::Duration;

use anjoman_tests::fakes::WebhookReceiver;
use anjoman_tests::{Backend, TestApp, on_both_backends};
use diesel::RunQueryDsl;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};

on_both_backends!(
    webhooks_go_only_to_public_addresses,
    a_key_reads_only_its_scopes_until_revoked_or_expired,
    a_province_key_reads_only_its_own_engineers,
    a_failing_receiver_gets_the_event_once_signed,
    the_example_client_verifies_a_member_and_receives_a_webhook,
);

const DEMO_PASSWORD: &str = "Anjoman-Demo-1403";
const COMMISSION: &str = "0084575948";
const VOTER: &str = "0061234567";

async fn token(app: &TestApp, code: &str) -> String {
    app.login(code, DEMO_PASSWORD).await.expect_status(200)["access_token"].as_str().unwrap().to_owned()
}

fn in_days(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

async fn with_key(app: &TestApp, key: &str, path: &str) -> anjoman_tests::Answer {
    app.send(app.client.get(app.url(path)).header("X-Api-Key", key)).await
}

async fn issue(app: &TestApp, admin: &str, body: Value) -> (String, Value) {
    let made = app.post("/api/v1/integrations/keys", Some(admin), &body).await;
    let secret = made.expect_status(201)["secret"].as_str().unwrap().to_owned();
    (secret, made.body["key"].clone())
}

async fn a_key_reads_only_its_scopes_until_revoked_or_expired(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let admin = token(&app, COMMISSION).await;
    let member_check =
        format!("/api/v1/integrations/members/verify?association=medical-informatics&national_code={VOTER}");

    // Bad input is refused field by field, and nothing is made.
    let bad = app
        .post(
            "/api/v1/integrations/keys",
            Some(&admin),
            &json!({"name": "", "owner": "commission", "scopes": ["officers:verify"], "expires_on": "2020-01-01"}),
        )
        .await;
    let fields = &bad.expect_error(400, "validation_failed")["fields"];
    assert!(fields["name"].is_array() && fields["scopes"].is_array() && fields["expires_on"].is_array(), "{fields}");
    assert_eq!(app.count("api_keys"), 0);
    // Only the owner's admins make its keys.
    let voter = token(&app, VOTER).await;
    let body = json!({"name": "HR of Tehran University", "owner": "commission", "scopes": ["members:verify"], "expires_on": in_days(30)});
    app.post("/api/v1/integrations/keys", Some(&voter), &body).await.expect_error(403, "forbidden");

    let (key, shown) = issue(&app, &admin, body).await;
    assert!(key.starts_with(shown["prefix"].as_str().unwrap()) && key.len() > 40, "{key}");
    let answer = with_key(&app, &key, &member_check).await;
    assert_eq!(answer.expect_status(200)["member"], true, "the demo voter is an approved member");
    assert!(answer.body.get("first_name").is_none() && answer.body.get("mobile").is_none(), "no more than asked");
    let stranger = with_key(
        &app,
        &key,
        "/api/v1/integrations/members/verify?association=medical-informatics&national_code=1234567891",
    )
    .await;
    assert_eq!(stranger.expect_status(200)["member"], false);
    with_key(&app, &key, "/api/v1/integrations/members/verify?association=medical-informatics&national_code=123")
        .await
        .expect_error(400, "validation_failed");

    // The secret is never shown again: not in the list, not in the audit log.
    let list = app.get("/api/v1/integrations/keys", Some(&admin)).await;
    // anj_<id>_<secret>: the secret is URL-safe base64 and may itself hold '_'.
    let secret_part = key.splitn(3, '_').nth(2).unwrap();
    assert!(secret_part.len() >= 32, "{key}");
    assert!(!list.expect_status(200).to_string().contains(secret_part));
    let audit = app.get("/api/v1/audit-log?object_type=api_key&per_page=100", Some(&admin)).await;
    assert!(!audit.expect_status(200).to_string().contains(secret_part));
    let uses = audit.body["items"].as_array().unwrap().iter().filter(|e| e["action"] == "api_key.used").count();
    assert_eq!(uses, 3, "every use is audited: {}", audit.body);

    // A scope the key lacks: 403. No key, a made-up key, a wrong secret: 401.
    with_key(&app, &key, &format!("/api/v1/integrations/officers/verify?national_code={VOTER}"))
        .await
        .expect_error(403, "missing_scope");
    app.get(&member_check, None).await.expect_error(401, "unauthorized");
    with_key(&app, &key, &member_check).await.expect_status(200);
    with_key(&app, "anj_0123456789abcdef_nothing", &member_check).await.expect_error(401, "unauthorized");
    with_key(&app, &format!("{key}x"), &member_check).await.expect_error(401, "unauthorized");

    // Rotation: the old secret stops at once, the new one works.
    let id = shown["id"].as_str().unwrap();
    let rotated = app.post(&format!("/api/v1/integrations/keys/{id}/rotate"), Some(&admin), &json!({})).await;
    let new_key = rotated.expect_status(200)["secret"].as_str().unwrap().to_owned();
    with_key(&app, &key, &member_check).await.expect_error(401, "unauthorized");
    with_key(&app, &new_key, &member_check).await.expect_status(200);

    // Revoked: 401, for good.
    let revoked = app.post(&format!("/api/v1/integrations/keys/{id}/revoke"), Some(&admin), &json!({})).await;
    assert_eq!(revoked.expect_status(200)["status"], "revoked");
    let refused = with_key(&app, &new_key, &member_check).await;
    assert!(refused.expect_error(401, "unauthorized")["message"].as_str().unwrap().contains("باطل"));
    app.post(&format!("/api/v1/integrations/keys/{id}/rotate"), Some(&admin), &json!({}))
        .await
        .expect_error(409, "key_revoked");

    // Expired: 401.
    let (old, shown) = issue(
        &app,
        &admin,
        json!({"name": "Expiring", "owner": "commission", "scopes": ["members:verify"], "expires_on": in_days(1)}),
    )
    .await;
    with_key(&app, &old, &member_check).await.expect_status(200);
    let mut conn = app.db.connect();
    diesel::sql_query(format!(
        "UPDATE api_keys SET expires_at = '2020-01-01 00:00:00' WHERE id = '{}'",
        shown["id"].as_str().unwrap()
    ))
    .execute(&mut conn)
    .unwrap();
    let expired = with_key(&app, &old, &member_check).await;
    assert!(expired.expect_error(401, "unauthorized")["message"].as_str().unwrap().contains("منقضی"));

    // The rate per key: the third call in a minute waits.
    let (slow, _) = issue(
        &app,
        &admin,
        json!({"name": "Slow", "owner": "commission", "scopes": ["members:verify"], "expires_on": in_days(5), "rate_per_minute": 2}),
    )
    .await;
    with_key(&app, &slow, &member_check).await.expect_status(200);
    with_key(&app, &slow, &member_check).await.expect_status(200);
    let limited = with_key(&app, &slow, &member_check).await;
    limited.expect_error(429, "rate_limited");
    let wait: u64 = limited.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
}

async fn a_province_key_reads_only_its_own_engineers(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let tehran = token(&app, "0091234565").await;
    let body = |province: &str| json!({"name": "Permits", "owner": "engineering", "province_id": province, "scopes": ["engineers:verify"], "expires_on": in_days(90)});
    app.post("/api/v1/integrations/keys", Some(&tehran), &body("isfahan")).await.expect_error(403, "forbidden");
    app.post(
        "/api/v1/integrations/keys",
        Some(&tehran),
        &json!({"name": "Permits", "owner": "engineering", "scopes": ["engineers:verify"], "expires_on": in_days(90)}),
    )
    .await
    .expect_error(400, "validation_failed");
    let (key, _) = issue(&app, &tehran, body("tehran")).await;
    let own = with_key(&app, &key, "/api/v1/integrations/engineers/verify?national_code=0093456786").await;
    assert_eq!(own.expect_status(200)["valid"], true);
    let expires = own.body["expires_on"].as_str().unwrap().to_owned();
    let later = chrono::NaiveDate::parse_from_str(&expires, "%Y-%m-%d").unwrap() + chrono::Duration::days(1);
    let after =
        with_key(&app, &key, &format!("/api/v1/integrations/engineers/verify?national_code=0093456786&on={later}"))
            .await;
    assert_eq!(after.expect_status(200)["valid"], false, "not valid the day after it expires");
    // Isfahan's engineer is not Tehran's to read.
    with_key(&app, &key, "/api/v1/integrations/engineers/verify?national_code=0094567891")
        .await
        .expect_error(404, "not_found");
    with_key(&app, &key, "/api/v1/integrations/engineers/verify?national_code=0093456786&on=tomorrow")
        .await
        .expect_error(400, "validation_failed");
    // The catalogue offers Tehran only, and its keys and events.
    let catalogue = app.get("/api/v1/integrations/catalogue", Some(&tehran)).await;
    assert_eq!(
        catalogue.expect_status(200),
        &json!([{"owner": "engineering", "province_id": "tehran", "province_name": "تهران", "province_name_en": "Tehran", "scopes": ["engineers:verify"], "events": ["renewal.paid"]}])
    );
    // Isfahan's expert does not see Tehran's keys.
    let isfahan = token(&app, "0092345670").await;
    assert_eq!(app.get("/api/v1/integrations/keys", Some(&isfahan)).await.expect_status(200), &json!([]));
}

fn signature(secret: &str, timestamp: &str, body: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Approves a pending membership request of a fresh person in the demo's medical informatics.
async fn approve_a_member(app: &TestApp, admin: &str) -> String {
    let code = anjoman_tests::fresh_national_code();
    let reg = json!({"national_code": code, "password": anjoman_tests::GOOD_PASSWORD, "first_name": "نسرین", "last_name": "امینی"});
    app.post("/api/v1/auth/register", None, &reg).await.expect_status(201);
    let person = app.login(&code, anjoman_tests::GOOD_PASSWORD).await.expect_status(200)["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let associations = app.get("/api/v1/associations", None).await;
    let assoc = associations.expect_status(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "medical-informatics")
        .unwrap()
        .clone();
    let id = assoc["id"].as_str().unwrap();
    let q = assoc["qualifications"][0].clone();
    let req = app
        .post(
            &format!("/api/v1/associations/{id}/membership-requests"),
            Some(&person),
            &json!({"field": q["field"], "degree_level": q["degree_level"]}),
        )
        .await;
    let membership = req.expect_status(201)["id"].as_str().unwrap().to_owned();
    app.post(&format!("/api/v1/memberships/{membership}/approve"), Some(admin), &json!({})).await.expect_status(200);
    code
}

async fn a_failing_receiver_gets_the_event_once_signed(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        &[("ANJOMAN_OUTBOX_POLL_MS", "100"), ("ANJOMAN_OUTBOX_RETRY_BASE_MS", "200")],
        &["--demo"],
    )
    .await;
    let admin = token(&app, COMMISSION).await;
    let receiver = WebhookReceiver::start(2).await;
    let made = app
        .post(
            "/api/v1/integrations/webhooks",
            Some(&admin),
            &json!({"owner": "commission", "url": receiver.url(), "events": ["membership.approved"]}),
        )
        .await;
    let secret = made.expect_status(201)["secret"].as_str().unwrap().to_owned();
    let hook = made.body["webhook"]["id"].as_str().unwrap().to_owned();
    app.post(
        "/api/v1/integrations/webhooks",
        Some(&admin),
        &json!({"owner": "commission", "url": "ftp://x", "events": ["renewal.paid"]}),
    )
    .await
    .expect_error(400, "validation_failed");
    assert!(
        !app.get("/api/v1/integrations/webhooks", Some(&admin)).await.expect_status(200).to_string().contains(&secret)
    );

    let code = approve_a_member(&app, &admin).await;
    let calls = receiver.wait_for_calls(3, Duration::from_secs(20)).await;
    assert_eq!(calls.iter().map(|c| c.accepted).collect::<Vec<_>>(), [false, false, true], "two refusals, then once");
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(receiver.calls.lock().unwrap().len(), 3, "nothing after the success");
    let ok = &calls[2];
    let event: Value = serde_json::from_str(&ok.body).unwrap();
    assert_eq!(
        (event["type"].as_str(), event["data"]["national_code"].as_str()),
        (Some("membership.approved"), Some(code.as_str()))
    );
    assert_eq!(ok.headers["x-anjoman-event"], "membership.approved");
    let ts = &ok.headers["x-anjoman-timestamp"];
    assert_eq!(ok.headers["x-anjoman-signature"], signature(&secret, ts, &ok.body), "signed with the secret");
    let age = chrono::Utc::now().timestamp() - ts.parse::<i64>().unwrap();
    assert!((0..30).contains(&age), "a fresh timestamp: a replay is told by its age");
    // Every attempt carries the same event id; the signature covers the timestamp.
    assert!(calls.iter().all(|c| serde_json::from_str::<Value>(&c.body).unwrap()["id"] == event["id"]));
    assert_ne!(signature(&secret, "1", &ok.body), ok.headers["x-anjoman-signature"]);

    // The delivery log, and a redelivery: a new delivery of the same event.
    let log = app.get(&format!("/api/v1/integrations/webhooks/{hook}/deliveries"), Some(&admin)).await;
    let first = log.expect_status(200)["items"][0].clone();
    assert_eq!((first["status"].as_str(), first["attempts"].as_i64()), (Some("sent"), Some(3)));
    let again = app
        .post(
            &format!("/api/v1/integrations/webhooks/{hook}/deliveries/{}/redeliver", first["id"].as_str().unwrap()),
            Some(&admin),
            &json!({}),
        )
        .await;
    assert_eq!(again.expect_status(201)["event_id"], event["id"]);
    let calls = receiver.wait_for_calls(4, Duration::from_secs(10)).await;
    assert_eq!(calls.len(), 4);
    assert_ne!(calls[3].headers["x-anjoman-delivery"], ok.headers["x-anjoman-delivery"]);
    assert_eq!(serde_json::from_str::<Value>(&calls[3].body).unwrap()["id"], event["id"]);
    // A paused subscription hears nothing.
    app.put(
        &format!("/api/v1/integrations/webhooks/{hook}"),
        Some(&admin),
        &json!({"url": receiver.url(), "events": ["membership.approved"], "active": false}),
    )
    .await
    .expect_status(200);
    approve_a_member(&app, &admin).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(receiver.calls.lock().unwrap().len(), 4);
}

/// `examples/integration_client.py`: verifies a member with a key, then waits for the
/// membership webhook, checks its signature and age, and prints what it got as JSON.
async fn the_example_client_verifies_a_member_and_receives_a_webhook(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("ANJOMAN_OUTBOX_POLL_MS", "100")], &["--demo"]).await;
    let admin = token(&app, COMMISSION).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (key, _) = issue(
        &app,
        &admin,
        json!({"name": "Example", "owner": "commission", "scopes": ["members:verify"], "expires_on": in_days(7)}),
    )
    .await;
    let made = app
        .post(
            "/api/v1/integrations/webhooks",
            Some(&admin),
            &json!({"owner": "commission", "url": format!("http://127.0.0.1:{port}/hook"), "events": ["membership.approved"]}),
        )
        .await;
    let secret = made.expect_status(201)["secret"].as_str().unwrap().to_owned();
    let script = anjoman_tests::workspace_root().join("examples/integration_client.py");
    let child = tokio::process::Command::new("python3")
        .arg(script)
        .args(["--base", &app.url(""), "--key", &key, "--association", "medical-informatics"])
        .args(["--national-code", VOTER, "--listen", &format!("127.0.0.1:{port}"), "--secret", &secret])
        .args(["--timeout", "30"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs the example");
    // Give it a moment to listen, then make the event it waits for.
    tokio::time::sleep(Duration::from_millis(700)).await;
    let code = approve_a_member(&app, &admin).await;
    let out = tokio::time::timeout(Duration::from_secs(40), child.wait_with_output()).await.expect("ends").unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_str(stdout.trim().lines().last().unwrap()).expect("JSON report");
    assert_eq!(report["verification"]["member"], true);
    assert_eq!(report["webhook"]["type"], "membership.approved");
    assert_eq!(report["webhook"]["data"]["national_code"], code.as_str());
    assert_eq!(report["signature_valid"], true);
}

async fn webhooks_go_only_to_public_addresses(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("ANJOMAN_WEBHOOK_PRIVATE_TARGETS", "off")], &["--demo"]).await;
    let admin = token(&app, COMMISSION).await;
    let receiver = WebhookReceiver::start(0).await;
    let port = receiver.url().rsplit(':').next().unwrap().split('/').next().unwrap().to_owned();
    for url in [
        receiver.url(),
        format!("http://[::1]:{port}/hook"),
        format!("http://localhost:{port}/hook"),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "http://10.0.0.5/hook".to_owned(),
    ] {
        let res = app
            .post(
                "/api/v1/integrations/webhooks",
                Some(&admin),
                &json!({"owner": "commission", "url": url, "events": ["membership.approved"]}),
            )
            .await;
        let body = res.expect_error(400, "validation_failed");
        assert!(body["fields"]["url"].is_array(), "{url}: {body}");
    }
    assert_eq!(app.count("webhook_subscriptions"), 0);
    app.post(
        "/api/v1/integrations/webhooks",
        Some(&admin),
        &json!({"owner": "commission", "url": "https://hooks.example.ir/anjoman", "events": ["membership.approved"]}),
    )
    .await
    .expect_status(201);
}
