//! Login, throttling, tokens, refresh rotation, logout and the forced password change
//! (ID-03, ID-06, ID-07).

use std::time::Duration;

use anjoman_tests::{Backend, GOOD_PASSWORD, JWT_SECRET, TestApp, fresh_national_code, on_both_backends};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

on_both_backends!(
    wrong_and_unknown_logins_get_the_same_answer,
    ten_wrong_passwords_throttle_until_the_delay_passes,
    tampered_tokens_are_refused,
    refresh_rotates_and_reuse_revokes_the_family,
    spa_gets_the_refresh_token_as_an_http_only_cookie,
    logout_ends_the_session_at_once,
    forced_password_change_blocks_everything_else,
    change_password_checks_the_current_one_and_signs_out_other_sessions,
    concurrent_failures_are_counted_without_errors,
    concurrent_use_of_one_refresh_token_rotates_once,
);

async fn wrong_and_unknown_logins_get_the_same_answer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let code = fresh_national_code();
    app.register(&code, GOOD_PASSWORD).await.expect_status(201);
    let wrong = app.login(&code, "Wrong-pass 1").await;
    let unknown = app.login(&fresh_national_code(), "Wrong-pass 1").await;
    assert_eq!(wrong.expect_error(401, "invalid_credentials"), unknown.expect_error(401, "invalid_credentials"));
    assert!(app.count("sessions") == 0);
    let ok = app.login(&code, GOOD_PASSWORD).await;
    let body = ok.expect_status(200);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["must_change_password"], false);
    assert!(body["refresh_token"].as_str().is_some_and(|t| t.len() >= 40));
    let me = app.get("/api/v1/me", body["access_token"].as_str()).await;
    assert_eq!(me.expect_status(200)["national_code"], code.as_str());
    assert_eq!(me.body["grants"], json!([]));
}

async fn ten_wrong_passwords_throttle_until_the_delay_passes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let code = fresh_national_code();
    app.register(&code, GOOD_PASSWORD).await.expect_status(201);
    let mut throttled = None;
    for attempt in 1..=10 {
        let res = app.login(&code, "Wrong-pass 1").await;
        match res.status.as_u16() {
            401 => {}
            429 => {
                throttled.get_or_insert(attempt);
            }
            other => panic!("attempt {attempt}: unexpected {other}"),
        }
    }
    assert!(throttled.is_some_and(|n| n > 5), "the first five failures are free, later ones throttle");
    // Now even the right password waits, with Retry-After.
    let res = app.login(&code, GOOD_PASSWORD).await;
    res.expect_error(429, "too_many_attempts");
    let wait: u64 = res.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    tokio::time::sleep(Duration::from_secs(wait) + Duration::from_millis(200)).await;
    app.login(&code, GOOD_PASSWORD).await.expect_status(200);
    // Success clears the account's counter: one more mistake is not delayed.
    app.login(&code, "Wrong-pass 1").await.expect_error(401, "invalid_credentials");
}

fn claims(sub: &str, sid: &str, aud: &str, exp_offset: i64) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({"sub": sub, "sid": sid, "iss": "anjoman", "aud": aud, "iat": now, "nbf": now - 1, "exp": now + exp_offset})
}

fn b64(v: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v)
}

async fn tampered_tokens_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, login) = app.signed_in_person().await;
    let good = login["access_token"].as_str().unwrap();
    app.get("/api/v1/me", Some(good)).await.expect_status(200);
    let payload: Value = {
        use base64::Engine;
        let part = good.split('.').nth(1).unwrap();
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    };
    let (sub, sid) = (payload["sub"].as_str().unwrap(), payload["sid"].as_str().unwrap());
    let key = EncodingKey::from_secret(JWT_SECRET.as_bytes());

    // Control: a token we sign the same way works, so the refusals below are about the tampering.
    let control = encode(&Header::new(Algorithm::HS256), &claims(sub, sid, "anjoman-api", 600), &key).unwrap();
    app.get("/api/v1/me", Some(&control)).await.expect_status(200);

    let none = format!(
        "{}.{}.",
        b64(br#"{"alg":"none","typ":"JWT"}"#),
        b64(claims(sub, sid, "anjoman-api", 600).to_string().as_bytes())
    );
    let wrong_key = encode(
        &Header::new(Algorithm::HS256),
        &claims(sub, sid, "anjoman-api", 600),
        &EncodingKey::from_secret(b"not-the-server-secret-not-the-server"),
    )
    .unwrap();
    let expired = encode(&Header::new(Algorithm::HS256), &claims(sub, sid, "anjoman-api", -120), &key).unwrap();
    let wrong_aud = encode(&Header::new(Algorithm::HS256), &claims(sub, sid, "someone-else", 600), &key).unwrap();
    let hs512 = encode(&Header::new(Algorithm::HS512), &claims(sub, sid, "anjoman-api", 600), &key).unwrap();
    let mut flipped = good.to_owned();
    let last = flipped.pop().unwrap();
    flipped.push(if last == 'A' { 'B' } else { 'A' });
    for (name, token) in [
        ("alg none", none.as_str()),
        ("wrong key", &wrong_key),
        ("expired", &expired),
        ("wrong aud", &wrong_aud),
        ("HS512", &hs512),
        ("flipped signature", &flipped),
        ("garbage", "not-a-token"),
    ] {
        let res = app.get("/api/v1/me", Some(token)).await;
        assert_eq!(res.status.as_u16(), 401, "{name}: {}", res.body);
        res.expect_error(401, "unauthorized");
    }
    app.get("/api/v1/me", None).await.expect_error(401, "unauthorized");
}

async fn refresh_rotates_and_reuse_revokes_the_family(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, login) = app.signed_in_person().await;
    let first = login["refresh_token"].as_str().unwrap().to_owned();
    let rotated = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": first})).await;
    let rotated = rotated.expect_status(200).clone();
    let second = rotated["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
    let access = rotated["access_token"].as_str().unwrap().to_owned();
    app.get("/api/v1/me", Some(&access)).await.expect_status(200);

    // The first token again: theft is assumed, the whole session ends.
    app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": first})).await.expect_error(401, "unauthorized");
    app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": second})).await.expect_error(401, "unauthorized");
    app.get("/api/v1/me", Some(&access)).await.expect_error(401, "unauthorized");
    assert_eq!(app.count("sessions"), 1);
    let mut conn = app.db.connect();
    #[derive(diesel::QueryableByName)]
    struct Reason {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        revoked_reason: Option<String>,
    }
    let rows: Vec<Reason> =
        diesel::RunQueryDsl::load(diesel::sql_query("SELECT revoked_reason FROM sessions"), &mut conn).unwrap();
    assert_eq!(rows[0].revoked_reason.as_deref(), Some("refresh_token_reuse"));

    // Unknown tokens and empty requests are refused the same way.
    app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": "nope"})).await.expect_error(401, "unauthorized");
    app.post("/api/v1/auth/refresh", None, &json!({})).await.expect_error(401, "unauthorized");
}

async fn spa_gets_the_refresh_token_as_an_http_only_cookie(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let code = fresh_national_code();
    app.register(&code, GOOD_PASSWORD).await.expect_status(201);
    let res = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({"national_code": code, "password": GOOD_PASSWORD, "use_cookie": true}),
        )
        .await;
    res.expect_status(200);
    assert!(res.body["refresh_token"].is_null(), "the token is not in the body: {}", res.body);
    let cookie = res.headers["set-cookie"].to_str().unwrap().to_owned();
    for part in ["anjoman_refresh=", "HttpOnly", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(cookie.contains(part), "{part} missing in {cookie}");
    }
    // The client's cookie store sends it back; an empty body refreshes.
    let refreshed = app.send(app.client.post(app.url("/api/v1/auth/refresh"))).await;
    refreshed.expect_status(200);
    assert!(refreshed.body["refresh_token"].is_null());
    assert!(refreshed.headers["set-cookie"].to_str().unwrap().contains("anjoman_refresh="));
    let access = refreshed.body["access_token"].as_str().unwrap().to_owned();
    let out = app.post("/api/v1/auth/logout", Some(&access), &json!({})).await;
    out.expect_status(204);
    assert!(out.headers["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    app.send(app.client.post(app.url("/api/v1/auth/refresh"))).await.expect_error(401, "unauthorized");
}

async fn logout_ends_the_session_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, login) = app.signed_in_person().await;
    let access = login["access_token"].as_str().unwrap();
    let refresh = login["refresh_token"].as_str().unwrap();
    app.post("/api/v1/auth/logout", Some(access), &json!({})).await.expect_status(204);
    app.get("/api/v1/me", Some(access)).await.expect_error(401, "unauthorized");
    app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": refresh})).await.expect_error(401, "unauthorized");
    app.post("/api/v1/auth/logout", None, &json!({})).await.expect_error(401, "unauthorized");
}

async fn forced_password_change_blocks_everything_else(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    // Demo person whose password was reset to the national code (ID-03).
    let code = "0010350829";
    let login = app.login(code, code).await;
    let body = login.expect_status(200).clone();
    assert_eq!(body["must_change_password"], true);
    let access = body["access_token"].as_str().unwrap();

    let me = app.get("/api/v1/me", Some(access)).await;
    assert_eq!(me.expect_status(200)["must_change_password"], true);
    app.patch("/api/v1/me", Some(access), &json!({"first_name": "حسن"}))
        .await
        .expect_error(403, "password_change_required");

    // The new password may not be the national code again.
    let same = app
        .post("/api/v1/auth/change-password", Some(access), &json!({"current_password": code, "new_password": code}))
        .await;
    same.expect_error(400, "validation_failed");
    app.post(
        "/api/v1/auth/change-password",
        Some(access),
        &json!({"current_password": code, "new_password": GOOD_PASSWORD}),
    )
    .await
    .expect_status(204);
    let me = app.get("/api/v1/me", Some(access)).await;
    assert_eq!(me.expect_status(200)["must_change_password"], false);
    app.patch("/api/v1/me", Some(access), &json!({"first_name": "حسن"})).await.expect_status(200);

    // The same rule holds for anyone whose password equals their national code at login.
    let relogin = app.login(code, GOOD_PASSWORD).await;
    assert_eq!(relogin.expect_status(200)["must_change_password"], false);
}

async fn change_password_checks_the_current_one_and_signs_out_other_sessions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (code, first) = app.signed_in_person().await;
    let second = app.login(&code, GOOD_PASSWORD).await.expect_status(200).clone();
    let (a1, a2) = (first["access_token"].as_str().unwrap(), second["access_token"].as_str().unwrap());
    let wrong = app
        .post(
            "/api/v1/auth/change-password",
            Some(a1),
            &json!({"current_password": "Nope-nope 1", "new_password": "Fresh-pass 2024"}),
        )
        .await;
    assert!(wrong.expect_error(400, "validation_failed")["fields"]["current_password"].is_array());
    let weak = app
        .post(
            "/api/v1/auth/change-password",
            Some(a1),
            &json!({"current_password": GOOD_PASSWORD, "new_password": "password"}),
        )
        .await;
    assert!(weak.expect_error(400, "validation_failed")["fields"]["new_password"].is_array());
    app.post(
        "/api/v1/auth/change-password",
        Some(a1),
        &json!({"current_password": GOOD_PASSWORD, "new_password": "Fresh-pass 2024"}),
    )
    .await
    .expect_status(204);
    app.get("/api/v1/me", Some(a1)).await.expect_status(200);
    app.get("/api/v1/me", Some(a2)).await.expect_error(401, "unauthorized");
    app.login(&code, GOOD_PASSWORD).await.expect_error(401, "invalid_credentials");
    app.login(&code, "Fresh-pass 2024").await.expect_status(200);
}

async fn concurrent_failures_are_counted_without_errors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let code = fresh_national_code();
    app.register(&code, GOOD_PASSWORD).await.expect_status(201);
    let answers = futures_util::future::join_all((0..12).map(|_| app.login(&code, "Wrong-pass 1"))).await;
    for a in &answers {
        assert!(matches!(a.status.as_u16(), 401 | 429), "{:?}", a);
    }
    // Each refused attempt was counted once: the account is now delayed.
    app.login(&code, "Wrong-pass 1").await.expect_error(429, "too_many_attempts");
}

async fn concurrent_use_of_one_refresh_token_rotates_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, login) = app.signed_in_person().await;
    let token = login["refresh_token"].as_str().unwrap().to_owned();
    let body = json!({"refresh_token": token});
    let answers = futures_util::future::join_all((0..6).map(|_| app.post("/api/v1/auth/refresh", None, &body))).await;
    let ok = answers.iter().filter(|a| a.status.as_u16() == 200).count();
    assert_eq!(ok, 1, "{answers:?}");
    assert!(answers.iter().all(|a| matches!(a.status.as_u16(), 200 | 401)));
    // The others were reuse: the session is closed, the rotated token too.
    let rotated = answers.iter().find(|a| a.status.as_u16() == 200).unwrap();
    let next = rotated.body["refresh_token"].as_str().unwrap();
    app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": next})).await.expect_error(401, "unauthorized");
}
