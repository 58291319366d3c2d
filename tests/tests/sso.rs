//! Government single sign-on (ID-09, EN-01) against a real certified OpenID Connect provider
//! (panva's `oidc-provider`, started by the tests): an engineer the organisation holds a record
//! of signs in and gets an account; a wrong or replayed `state`, a replayed code, a callback in
//! another browser, and ID tokens of another issuer, audience or nonce are refused.

use anjoman_core::config::OidcSettings;
use anjoman_identity::sso::{self, SsoError};
use anjoman_tests::oidc::{self, Provider, browser, query_param, sign_in_at_provider};
use anjoman_tests::{Backend, TestApp, fresh_national_code, on_both_backends};
use serde_json::json;

on_both_backends!(an_engineer_on_record_signs_in_through_the_provider, forged_and_replayed_callbacks_are_refused,);

/// The engineer imported by the demo who has no account yet.
const IMPORTED: &str = "0095678913";
/// A demo engineer with an account.
const WITH_ACCOUNT: &str = "0093456786";

async fn sso_app(backend: Backend, provider: &Provider) -> TestApp {
    let env = provider.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    TestApp::spawn_with(backend, &env, &["--demo"]).await
}

/// Starts a login at anjoman in `b`; answers where the browser is sent (the provider).
async fn start(app: &TestApp, b: &reqwest::Client) -> String {
    let res = b.get(app.url("/api/v1/auth/sso/start")).send().await.unwrap();
    assert_eq!(res.status(), 302);
    res.headers()["location"].to_str().unwrap().to_owned()
}

/// Delivers the provider's redirect to the real anjoman; answers anjoman's redirect.
async fn deliver(app: &TestApp, b: &reqwest::Client, callback: &str) -> String {
    let url = app.url(callback.strip_prefix(oidc::PUBLIC_URL).unwrap());
    let res = b.get(url).send().await.unwrap();
    assert_eq!(res.status(), 302);
    res.headers()["location"].to_str().unwrap().to_owned()
}

/// The access token the SPA gets from the refresh cookie set by the callback.
async fn session_of(app: &TestApp, b: &reqwest::Client) -> String {
    let res = b.post(app.url("/api/v1/auth/refresh")).json(&json!({"use_cookie": true})).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

async fn an_engineer_on_record_signs_in_through_the_provider(backend: Backend) {
    let provider = Provider::start(None);
    let app = sso_app(backend, &provider).await;
    let info = app.get("/api/v1/auth/sso", None).await;
    assert_eq!(info.expect_status(200)["enabled"], true);
    assert_eq!(info.body["start_url"], "/api/v1/auth/sso/start");

    // The imported engineer has no account: the first login makes one.
    let accounts_before = app.count("accounts");
    let b = browser();
    let to_provider = start(&app, &b).await;
    assert!(to_provider.starts_with(&format!("{}/auth?", provider.issuer)), "{to_provider}");
    assert_eq!(query_param(&to_provider, "code_challenge_method").as_deref(), Some("S256"));
    assert!(query_param(&to_provider, "nonce").is_some());
    let back = sign_in_at_provider(&b, &to_provider, IMPORTED).await;
    assert_eq!(deliver(&app, &b, &back).await, "/sso/complete");
    assert_eq!(app.count("accounts"), accounts_before + 1);
    let token = session_of(&app, &b).await;
    let me = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.expect_status(200)["national_code"], IMPORTED);
    let record = app.get("/api/v1/engineers/me", Some(&token)).await;
    assert_eq!(record.expect_status(200)["membership_number"], "1-20-09934");

    // Again: the same account, no new one; a person with a password account signs in as well.
    let b = browser();
    let back = sign_in_at_provider(&b, &start(&app, &b).await, IMPORTED).await;
    assert_eq!(deliver(&app, &b, &back).await, "/sso/complete");
    let b2 = browser();
    let back = sign_in_at_provider(&b2, &start(&app, &b2).await, WITH_ACCOUNT).await;
    assert_eq!(deliver(&app, &b2, &back).await, "/sso/complete");
    assert_eq!(app.count("accounts"), accounts_before + 1);
    assert_eq!(
        app.get("/api/v1/me", Some(&session_of(&app, &b2).await)).await.expect_status(200)["national_code"],
        WITH_ACCOUNT
    );

    // Nobody on record, and a login that is not a national code: refused, no account.
    let b = browser();
    let back = sign_in_at_provider(&b, &start(&app, &b).await, &fresh_national_code()).await;
    assert_eq!(deliver(&app, &b, &back).await, "/login?sso_error=sso_no_record");
    let b = browser();
    let back = sign_in_at_provider(&b, &start(&app, &b).await, "alice").await;
    assert_eq!(deliver(&app, &b, &back).await, "/login?sso_error=sso_no_national_code");
    assert_eq!(app.count("accounts"), accounts_before + 1);

    // Password login remains.
    app.login(WITH_ACCOUNT, "Anjoman-Demo-1403").await.expect_status(200);
}

async fn forged_and_replayed_callbacks_are_refused(backend: Backend) {
    let provider = Provider::start(None);
    let app = sso_app(backend, &provider).await;
    let b = browser();
    let back = sign_in_at_provider(&b, &start(&app, &b).await, WITH_ACCOUNT).await;
    let (code, state) = (query_param(&back, "code").unwrap(), query_param(&back, "state").unwrap());

    // A wrong state is refused and does not use up the real one.
    let forged = format!("{}?code={code}&state=not-the-state", oidc::CALLBACK);
    assert_eq!(deliver(&app, &b, &forged).await, "/login?sso_error=sso_state_invalid");
    assert_eq!(state, query_param(&back, "state").unwrap());
    // The real callback works once; replayed, it is refused.
    assert_eq!(deliver(&app, &b, &back).await, "/sso/complete");
    assert_eq!(deliver(&app, &b, &back).await, "/login?sso_error=sso_state_invalid");

    // A callback delivered in another browser (without the state cookie) is refused, and that
    // uses it up for the browser that started it too.
    let stolen = sign_in_at_provider(&b, &start(&app, &b).await, WITH_ACCOUNT).await;
    assert_eq!(deliver(&app, &browser(), &stolen).await, "/login?sso_error=sso_state_invalid");
    assert_eq!(deliver(&app, &b, &stolen).await, "/login?sso_error=sso_state_invalid");

    // A used code with a fresh, valid state: the provider refuses the exchange.
    let used_code = query_param(&back, "code").unwrap();
    let fresh = start(&app, &b).await;
    let fresh_state = query_param(&fresh, "state").unwrap();
    let replay = format!("{}?code={used_code}&state={fresh_state}", oidc::CALLBACK);
    assert_eq!(deliver(&app, &b, &replay).await, "/login?sso_error=sso_exchange_failed");

    // The provider's refusal comes back as `error`.
    let b = browser();
    let denied_state = query_param(&start(&app, &b).await, "state").unwrap();
    let denied = format!("{}?error=access_denied&state={denied_state}", oidc::CALLBACK);
    assert_eq!(deliver(&app, &b, &denied).await, "/login?sso_error=sso_denied");
}

fn settings(issuer: &str) -> OidcSettings {
    OidcSettings {
        issuer: issuer.to_owned(),
        client_id: oidc::CLIENT_ID.into(),
        client_secret: oidc::CLIENT_SECRET.into(),
        national_code_claim: "national_code".into(),
        scopes: "openid national_code".into(),
        label: "دولت من".into(),
    }
}

/// ID tokens are checked for issuer, audience and nonce, with real tokens from real providers
/// that share one signing key — so only the claims can be what refuses them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn id_tokens_of_another_issuer_audience_or_nonce_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("jwks.json");
    let ours = Provider::start(Some(&keys));
    let theirs = Provider::start(Some(&keys));
    assert_ne!(ours.issuer, theirs.issuer);
    let config = settings(&ours.issuer);
    let discovery = sso::discover(&config).await.unwrap();

    let (token, nonce) = oidc::obtain_id_token(&ours.issuer, oidc::CLIENT_ID, oidc::CLIENT_SECRET, WITH_ACCOUNT).await;
    let code = sso::verify_id_token(&config, &discovery, &token, &nonce).await.unwrap();
    assert_eq!(code.as_str(), WITH_ACCOUNT, "a good token passes");
    assert_eq!(
        sso::verify_id_token(&config, &discovery, &token, "another-nonce").await.unwrap_err(),
        SsoError::TokenInvalid
    );

    let (other_audience, nonce) =
        oidc::obtain_id_token(&ours.issuer, oidc::OTHER_CLIENT_ID, oidc::OTHER_CLIENT_SECRET, WITH_ACCOUNT).await;
    assert_eq!(
        sso::verify_id_token(&config, &discovery, &other_audience, &nonce).await.unwrap_err(),
        SsoError::TokenInvalid
    );

    let (other_issuer, nonce) =
        oidc::obtain_id_token(&theirs.issuer, oidc::CLIENT_ID, oidc::CLIENT_SECRET, WITH_ACCOUNT).await;
    assert_eq!(
        sso::verify_id_token(&config, &discovery, &other_issuer, &nonce).await.unwrap_err(),
        SsoError::TokenInvalid
    );

    // A provider whose discovery document names another issuer is not trusted at all.
    let wrong = settings(&ours.issuer.replace("127.0.0.1", "localhost"));
    assert_eq!(sso::discover(&wrong).await.unwrap_err(), SsoError::Unavailable);

    // A tampered token (its payload changed, signature kept) is refused.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts[1] = parts[1].chars().rev().collect();
    assert_eq!(
        sso::verify_id_token(&config, &discovery, &parts.join("."), &nonce).await.unwrap_err(),
        SsoError::TokenInvalid
    );
}
