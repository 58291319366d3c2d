//! Registration (ID-01, ID-02, ID-04, ID-06): good input registers, bad input changes nothing
//! and answers in the envelope.

use anjoman_tests::{Backend, GOOD_PASSWORD, TestApp, fresh_national_code, on_both_backends};
use serde_json::{Value, json};

on_both_backends!(
    registers_with_persian_digits_and_normalised_contacts,
    invalid_national_codes_are_refused_field_by_field,
    weak_common_and_national_code_passwords_are_refused,
    duplicate_registration_is_refused,
    captcha_wrong_expired_and_reused_are_refused,
    malformed_and_oversized_bodies_answer_in_the_envelope,
    messages_follow_accept_language,
    concurrent_registrations_of_one_code_register_once,
);

fn body(code: &str, password: &str) -> Value {
    json!({
        "national_code": code,
        "password": password,
        "first_name": "علي",
        "last_name": "كريمي",
        "mobile": "+98 912 123 4567",
        "email": "Ali@Example.IR",
    })
}

async fn registers_with_persian_digits_and_normalised_contacts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let persian: String =
        "0499370899".chars().map(|c| char::from_u32(0x06F0 + c.to_digit(10).unwrap()).unwrap()).collect();
    let res = app.post("/api/v1/auth/register", None, &body(&persian, GOOD_PASSWORD)).await;
    let person = res.expect_status(201);
    assert_eq!(person["national_code"], "0499370899");
    assert_eq!(person["first_name"], "علی", "Arabic yeh is stored as Persian yeh");
    assert_eq!(person["last_name"], "کریمی", "Arabic kaf is stored as Persian kaf");
    assert_eq!(person["mobile"], "09121234567");
    assert_eq!(person["email"], "Ali@example.ir");
    assert_eq!(app.count("persons"), 1);
    assert_eq!(app.count("accounts"), 1);

    // A partial profile (no contacts) is accepted and can be completed later.
    let code = fresh_national_code();
    let partial = json!({"national_code": code, "password": GOOD_PASSWORD, "first_name": "نیما", "last_name": "یوشیج"});
    app.post("/api/v1/auth/register", None, &partial).await.expect_status(201);
    let login = app.login(&code, GOOD_PASSWORD).await.expect_status(200).clone();
    let token = login["access_token"].as_str().unwrap();
    let me = app.patch("/api/v1/me", Some(token), &json!({"mobile": "09351112233"})).await;
    assert_eq!(me.expect_status(200)["mobile"], "09351112233");
    assert_eq!(me.body["first_name"], "نیما");

    // Birth date: Gregorian ISO date, Persian digits accepted; impossible dates refused.
    let me = app.patch("/api/v1/me", Some(token), &json!({"birth_date": "۱۹۸۵-۰۷-۰۱"})).await;
    assert_eq!(me.expect_status(200)["birth_date"], "1985-07-01");
    for bad in ["1985-13-01", "1403-12-30x", "2999-01-01", "1800-01-01"] {
        let res = app.patch("/api/v1/me", Some(token), &json!({"birth_date": bad})).await;
        assert!(res.expect_error(400, "validation_failed")["fields"]["birth_date"].is_array(), "{bad}");
    }
    let me = app.get("/api/v1/me", Some(token)).await;
    assert_eq!(me.expect_status(200)["birth_date"], "1985-07-01", "refused edits changed nothing");
    let me = app.patch("/api/v1/me", Some(token), &json!({"birth_date": "", "email": ""})).await;
    assert!(me.expect_status(200)["birth_date"].is_null());
    assert!(me.body["email"].is_null());
    let unknown = app.patch("/api/v1/me", Some(token), &json!({"national_code": "0084575948"})).await;
    unknown.expect_error(400, "invalid_body");
}

async fn invalid_national_codes_are_refused_field_by_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for code in ["0499370898", "04993708a9", "04993708991", "1111111111", "", "12345"] {
        let res = app.post("/api/v1/auth/register", None, &body(code, GOOD_PASSWORD)).await;
        let err = res.expect_error(400, "validation_failed");
        assert!(err["fields"]["national_code"][0].is_string(), "{code}: {err}");
    }
    assert_eq!(app.count("persons"), 0);
    assert_eq!(app.count("audit_log"), 0);
}

async fn weak_common_and_national_code_passwords_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let code = fresh_national_code();
    let too_long = "Aa1".repeat(43);
    for password in
        ["short1A", "alllowercase1", "NoDigitsHere", "Password1", "Qwerty123", code.as_str(), too_long.as_str()]
    {
        let res = app.post("/api/v1/auth/register", None, &body(&code, password)).await;
        let err = res.expect_error(400, "validation_failed");
        assert!(err["fields"]["password"][0].is_string(), "{password}: {err}");
    }
    // Spaces and symbols are allowed (ASVS 6.2.5), up to 128 characters.
    let long_ok = format!("Aa1 !{}", "x".repeat(123));
    app.post("/api/v1/auth/register", None, &body(&code, &long_ok)).await.expect_status(201);
    assert_eq!(app.count("persons"), 1);
}

async fn duplicate_registration_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let code = fresh_national_code();
    app.register(&code, GOOD_PASSWORD).await.expect_status(201);
    let again = app.register(&code, "Another-pass 99").await;
    again.expect_error(409, "already_registered");
    assert_eq!(app.count("persons"), 1);
    // The first password still works: nothing was overwritten.
    app.login(&code, GOOD_PASSWORD).await.expect_status(200);
}

async fn captcha_wrong_expired_and_reused_are_refused(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("ANJOMAN_CAPTCHA", "on")], &[]).await;
    let code = fresh_national_code();
    let with = |id: &str, answer: &str| {
        let mut b = body(&code, GOOD_PASSWORD);
        b["captcha_id"] = json!(id);
        b["captcha_answer"] = json!(answer);
        b
    };

    // Missing.
    let res = app.post("/api/v1/auth/register", None, &body(&code, GOOD_PASSWORD)).await;
    assert!(res.expect_error(400, "validation_failed")["fields"]["captcha_answer"].is_array());

    // Wrong: and the captcha is spent even so.
    let (id, answer) = app.captcha().await;
    let wrong = if answer == "11111" { "22222" } else { "11111" };
    app.post("/api/v1/auth/register", None, &with(&id, wrong)).await.expect_error(400, "validation_failed");
    app.post("/api/v1/auth/register", None, &with(&id, &answer)).await.expect_error(400, "validation_failed");

    // Expired.
    let (id, answer) = app.captcha().await;
    let mut conn = app.db.connect();
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!("UPDATE captchas SET expires_at = '2000-01-01 00:00:00' WHERE id = '{id}'")),
        &mut conn,
    )
    .unwrap();
    app.post("/api/v1/auth/register", None, &with(&id, &answer)).await.expect_error(400, "validation_failed");
    assert_eq!(app.count("persons"), 0);

    // Right, in Persian digits: registers once; reusing it fails.
    let (id, answer) = app.captcha().await;
    let persian: String = answer.chars().map(|c| char::from_u32(0x06F0 + c.to_digit(10).unwrap()).unwrap()).collect();
    app.post("/api/v1/auth/register", None, &with(&id, &persian)).await.expect_status(201);
    let other = fresh_national_code();
    let mut reuse = with(&id, &answer);
    reuse["national_code"] = json!(other);
    app.post("/api/v1/auth/register", None, &reuse).await.expect_error(400, "validation_failed");
    assert_eq!(app.count("persons"), 1);

    // Login needs one too.
    let res = app.login(&code, GOOD_PASSWORD).await;
    res.expect_error(400, "validation_failed");
    let (id, answer) = app.captcha().await;
    let ok = json!({"national_code": code, "password": GOOD_PASSWORD, "captcha_id": id, "captcha_answer": answer});
    app.post("/api/v1/auth/login", None, &ok).await.expect_status(200);
}

async fn malformed_and_oversized_bodies_answer_in_the_envelope(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let url = app.url("/api/v1/auth/register");
    let res =
        app.send(app.client.post(&url).header("content-type", "application/json").body("{\"national_code\": ")).await;
    res.expect_error(400, "malformed_json");
    let res = app.send(app.client.post(&url).header("content-type", "application/json").body("[1,2,3]")).await;
    res.expect_error(400, "invalid_body");
    let res = app.send(app.client.post(&url).header("content-type", "text/plain").body("hello")).await;
    res.expect_error(400, "unsupported_content_type");
    let huge =
        json!({"national_code": "0499370899", "password": "x".repeat(400_000), "first_name": "a", "last_name": "b"});
    let res = app.post("/api/v1/auth/register", None, &huge).await;
    res.expect_error(413, "payload_too_large");
    let res = app.get("/api/v1/no-such-thing", None).await;
    res.expect_error(404, "not_found");
    let res = app.send(app.client.delete(app.url("/api/v1/auth/login"))).await;
    assert!(res.status.is_client_error());
    assert!(res.body["code"].is_string(), "{:?}", res.body);
    assert_eq!(app.count("persons"), 0);
}

async fn messages_follow_accept_language(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let send = |lang: Option<&'static str>| {
        let mut req = app.client.post(app.url("/api/v1/auth/register")).json(&body("0499370898", GOOD_PASSWORD));
        if let Some(l) = lang {
            req = req.header("accept-language", l);
        }
        app.send(req)
    };
    let fa = send(None).await;
    let en = send(Some("en-US,en;q=0.9")).await;
    let fa_message = fa.body["message"].as_str().unwrap();
    let en_message = en.body["message"].as_str().unwrap();
    assert!(fa_message.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)), "{fa_message}");
    assert!(en_message.is_ascii(), "{en_message}");
    assert!(en.body["fields"]["national_code"][0].as_str().unwrap().contains("national code"));
    assert!(en.headers.get("x-request-id").is_some());
}

async fn concurrent_registrations_of_one_code_register_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let code = fresh_national_code();
    let attempts = (0..8).map(|_| app.register(&code, GOOD_PASSWORD));
    let answers = futures_util::future::join_all(attempts).await;
    let mut statuses: Vec<u16> = answers.iter().map(|a| a.status.as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses, [201, 409, 409, 409, 409, 409, 409, 409]);
    for a in answers.iter().filter(|a| a.status.as_u16() == 409) {
        a.expect_error(409, "already_registered");
    }
    assert_eq!(app.count("persons"), 1);
}
