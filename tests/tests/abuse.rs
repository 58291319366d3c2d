//! Abuse limits (issue: reliability and security): request rates per address and per account
//! shared by every process, slow clients cut off, page sizes capped, cross-origin and transport
//! headers.

use std::time::Duration;

use anjoman_tests::{Backend, TestApp, on_both_backends};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

on_both_backends!(
    an_address_is_limited_across_processes_and_forwarded_for_does_not_evade_it,
    an_account_is_limited_apart_from_other_accounts,
    page_numbers_and_sizes_out_of_range_are_refused,
);

async fn an_address_is_limited_across_processes_and_forwarded_for_does_not_evade_it(backend: Backend) {
    let a = TestApp::spawn(backend).await;
    let b = TestApp::spawn_sharing(&a, &[]).await;
    let check = json!({"national_code": "0084575948"});
    // The status check allows 60 a minute from one address: 30 through each process.
    for i in 0..60 {
        let app = if i % 2 == 0 { &a } else { &b };
        let res = app
            .send(
                app.client
                    .post(app.url("/api/v1/membership-status"))
                    .header("X-Forwarded-For", format!("198.51.100.{i}"))
                    .json(&check),
            )
            .await;
        assert_ne!(res.status.as_u16(), 429, "request {i} was limited: {}", res.body);
    }
    for app in [&a, &b] {
        let res = app
            .send(
                app.client
                    .post(app.url("/api/v1/membership-status"))
                    .header("X-Forwarded-For", "203.0.113.9")
                    .json(&check),
            )
            .await;
        res.expect_error(429, "rate_limited");
        let wait: u64 = res.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&wait), "Retry-After {wait}");
    }
    // Other endpoints keep their own windows.
    a.get("/api/v1/auth/captcha", None).await.expect_status(200);
    let persian =
        a.send(a.client.post(a.url("/api/v1/membership-status")).header("Accept-Language", "fa").json(&check)).await;
    assert!(persian.body["message"].as_str().unwrap().contains("ثانیه"), "{}", persian.body);
}

async fn an_account_is_limited_apart_from_other_accounts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, first) = app.signed_in_person().await;
    let (_, second) = app.signed_in_person().await;
    let first = first["access_token"].as_str().unwrap();
    let second = second["access_token"].as_str().unwrap();
    // Invoices allow 30 in ten minutes per account; refused ones count too.
    for i in 0..30 {
        let res = app.post("/api/v1/invoices", Some(first), &json!({})).await;
        assert_eq!(res.status.as_u16(), 400, "request {i}: {}", res.body);
    }
    app.post("/api/v1/invoices", Some(first), &json!({})).await.expect_error(429, "rate_limited");
    app.post("/api/v1/invoices", Some(second), &json!({})).await.expect_status(400);
    // No request was let through to write anything.
    assert_eq!(app.count("invoices"), 0);
}

async fn page_numbers_and_sizes_out_of_range_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for query in ["per_page=101", "per_page=0", "page=0", "page=9223372036854775807", "page=-3"] {
        let res = app.get(&format!("/api/v1/news?{query}"), None).await;
        res.expect_error(400, "validation_failed");
    }
    app.get("/api/v1/news?page=2&per_page=100", None).await.expect_status(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_can_be_lifted_for_automated_tests() {
    let app = TestApp::spawn_with(Backend::Sqlite, &[("ANJOMAN_RATE_LIMITS", "off")], &[]).await;
    for _ in 0..70 {
        let res = app.post("/api/v1/membership-status", None, &json!({"national_code": "0084575948"})).await;
        assert_ne!(res.status.as_u16(), 429);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_cut_off() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[("ANJOMAN_CLIENT_HEADER_TIMEOUT_MS", "500"), ("ANJOMAN_CLIENT_BODY_IDLE_SECONDS", "1")],
        &[],
    )
    .await;
    let addr = app.base.trim_start_matches("http://").to_owned();

    // Headers that never finish: the connection is answered 408 and closed.
    let mut conn = TcpStream::connect(&addr).await.unwrap();
    conn.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), conn.read_to_end(&mut answer))
        .await
        .expect("the server closes a connection whose headers stall")
        .unwrap();
    let text = String::from_utf8_lossy(&answer);
    assert!(text.is_empty() || text.starts_with("HTTP/1.1 408"), "{text}");

    // A body that stops arriving: refused in the envelope, nothing written.
    let before = app.count("persons");
    let mut conn = TcpStream::connect(&addr).await.unwrap();
    conn.write_all(
        b"POST /api/v1/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"national_code\":",
    )
    .await
    .unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), conn.read_to_end(&mut answer))
        .await
        .expect("the server gives up on a stalled body")
        .unwrap();
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 400"), "{text}");
    assert!(text.contains("\"code\":\"body_timeout\""), "{text}");
    assert_eq!(app.count("persons"), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_origins_are_allowed_only_when_listed_and_hsts_only_over_tls() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[("ANJOMAN_CORS_ORIGINS", "https://portal.example.ir"), ("ANJOMAN_TRUST_FORWARDED_FOR", "on")],
        &[],
    )
    .await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/auth/login"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type")
    };
    let allowed = app.send(preflight("https://portal.example.ir")).await;
    assert_eq!(allowed.status.as_u16(), 204);
    assert_eq!(allowed.headers["access-control-allow-origin"], "https://portal.example.ir");
    assert!(allowed.headers["access-control-allow-methods"].to_str().unwrap().contains("POST"));
    let refused = app.send(preflight("https://evil.example")).await;
    assert!(refused.headers.get("access-control-allow-origin").is_none());
    assert_ne!(refused.status.as_u16(), 204);

    let from = |origin: &'static str| app.client.get(app.url("/api/v1/associations")).header("Origin", origin);
    let listed = app.send(from("https://portal.example.ir")).await;
    assert_eq!(listed.headers["access-control-allow-origin"], "https://portal.example.ir");
    assert!(listed.headers["vary"].to_str().unwrap().contains("Origin"));
    let unlisted = app.send(from("https://evil.example")).await;
    unlisted.expect_status(200);
    assert!(unlisted.headers.get("access-control-allow-origin").is_none());
    // The SPA's own origin needs no listing: its requests are same-origin.
    let own = app
        .send(
            app.client
                .post(app.url("/api/v1/membership-status"))
                .header("Origin", app.base.clone())
                .json(&json!({"national_code": "0084575948"})),
        )
        .await;
    assert_ne!(own.status.as_u16(), 403);

    // HSTS only when the request came over TLS (here: through a trusted proxy that says so).
    let plain = app.get("/healthz", None).await;
    assert!(plain.headers.get("strict-transport-security").is_none());
    let tls = app.send(app.client.get(app.url("/healthz")).header("X-Forwarded-Proto", "https")).await;
    assert!(tls.headers["strict-transport-security"].to_str().unwrap().starts_with("max-age="));
    for header in ["x-content-type-options", "referrer-policy", "content-security-policy", "x-request-id"] {
        assert!(tls.headers.get(header).is_some(), "{header}");
    }
    let csp = tls.headers["content-security-policy"].to_str().unwrap();
    for directive in ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"] {
        assert!(csp.contains(directive), "{csp}");
    }
    // API answers are not kept by browsers or proxies.
    assert_eq!(listed.headers["cache-control"], "no-store");
    assert!(tls.headers.get("cache-control").is_none(), "health answers are not personal");
}
