//! The binary as an operator sees it: demo start-up, Swagger UI, health, metrics, the CLI, the
//! audit chain (PL-04) and the committed OpenAPI document (PL-06).

use std::collections::BTreeSet;

use anjoman_tests::{Backend, GOOD_PASSWORD, TestApp, TestDb, binary, on_both_backends};
use diesel::RunQueryDsl;
use serde_json::json;

on_both_backends!(
    demo_start_serves_swagger_and_the_demo_logins_work,
    health_readiness_and_metrics_answer,
    audit_chain_verifies_and_names_the_first_edited_entry,
    create_admin_makes_a_commission_admin,
    web_client_is_served_with_history_fallback,
);

async fn demo_start_serves_swagger_and_the_demo_logins_work(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let docs = app.send(app.client.get(app.url("/api/docs/"))).await;
    assert_eq!(docs.status.as_u16(), 200);
    let html = app.client.get(app.url("/api/docs/")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("swagger-ui"), "Swagger UI page");
    let spec = app.get("/api/openapi.json", None).await;
    assert_eq!(spec.expect_status(200)["openapi"], "3.1.0");
    assert!(spec.body["paths"]["/api/v1/auth/login"]["post"].is_object());
    assert!(spec.body["components"]["securitySchemes"]["bearer"].is_object());
    for (code, password, role) in [
        ("0084575948", "Anjoman-Demo-1403", Some("commission_admin")),
        ("0499370899", "Anjoman-Demo-1403", Some("directorate_admin")),
        ("1234567891", "Anjoman-Demo-1403", None),
    ] {
        let login = app.login(code, password).await;
        let token = login.expect_status(200)["access_token"].as_str().unwrap().to_owned();
        let me = app.get("/api/v1/me", Some(&token)).await;
        let roles: Vec<&str> =
            me.expect_status(200)["grants"].as_array().unwrap().iter().map(|g| g["role"].as_str().unwrap()).collect();
        assert_eq!(roles, role.into_iter().collect::<Vec<_>>(), "{code}");
    }
    // The demo associations, one with its admin.
    let associations = app.get("/api/v1/associations", None).await;
    assert_eq!(associations.expect_status(200)["items"].as_array().unwrap().len(), 3);
    let admin = app.login("0067749828", "Anjoman-Demo-1403").await.expect_status(200)["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = app.get("/api/v1/me", Some(&admin)).await;
    assert_eq!(me.expect_status(200)["grants"][0]["role"], "association_admin");
    // A second start does not add the demo people again.
    let persons = app.count("persons");
    drop(app.cli(&["migrate"]));
    assert_eq!(app.count("persons"), persons);
    // Without a built web client the root page still says where to go.
    let root = app.client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(root.contains("/api/docs/"));
}

async fn health_readiness_and_metrics_answer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    assert_eq!(app.get("/healthz", None).await.expect_status(200)["status"], "ok");
    assert_eq!(app.get("/readyz", None).await.expect_status(200)["status"], "ready");
    let res = app.client.get(app.url("/healthz")).header("x-request-id", "trace-123").send().await.unwrap();
    assert_eq!(res.headers()["x-request-id"], "trace-123");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let csp = res.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    let metrics = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(metrics.contains("route=\"/healthz\""), "{metrics}");
}

async fn audit_chain_verifies_and_names_the_first_edited_entry(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, login) = app.signed_in_person().await;
    let access = login["access_token"].as_str().unwrap();
    app.patch("/api/v1/me", Some(access), &json!({"email": "new@example.ir"})).await.expect_status(200);
    app.post("/api/v1/auth/logout", Some(access), &json!({})).await.expect_status(204);
    assert_eq!(app.count("audit_log"), 4, "registered, login, profile update, logout");

    let ok = app.cli(&["verify-audit"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("4 entries verified"));

    let mut conn = app.db.connect();
    diesel::sql_query("UPDATE audit_log SET after_state = '{\"email\":\"attacker@example.ir\"}' WHERE seq = 3")
        .execute(&mut conn)
        .unwrap();
    let broken = app.cli(&["verify-audit"]);
    assert!(!broken.status.success());
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(stderr.contains("broken at entry 3"), "{stderr}");
}

async fn create_admin_makes_a_commission_admin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let weak = app.cli(&["create-admin", "--national-code", "0084575948", "--password", "password"]);
    assert!(!weak.status.success(), "a weak password is refused");
    assert_eq!(app.count("persons"), 0);
    let bad = app.cli(&["create-admin", "--national-code", "0084575949", "--password", GOOD_PASSWORD]);
    assert!(!bad.status.success(), "an invalid national code is refused");
    let out = app.cli(&["create-admin", "--national-code", "0084575948", "--password", GOOD_PASSWORD]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token =
        app.login("0084575948", GOOD_PASSWORD).await.expect_status(200)["access_token"].as_str().unwrap().to_owned();
    let me = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(
        me.expect_status(200)["grants"],
        json!([{"role": "commission_admin", "scope_type": null, "scope_id": null}])
    );
    let verify = app.cli(&["verify-audit"]);
    assert!(verify.status.success());
}

#[test]
fn committed_openapi_document_is_current() {
    let out = std::process::Command::new(binary()).arg("openapi").output().expect("anjoman runs");
    assert!(out.status.success());
    let generated = String::from_utf8(out.stdout).unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    // Operation ids name the client's functions: two handlers of one name would collide.
    let spec: serde_json::Value = serde_json::from_str(&generated).unwrap();
    let mut ids: Vec<&str> = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values().filter_map(|op| op["operationId"].as_str()))
        .collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "operation ids must be unique");
    assert!(
        generated.trim() == committed.trim(),
        "openapi/openapi.json is stale: run `make openapi` (cargo run -p anjoman-server -- openapi > openapi/openapi.json)"
    );
}

#[test]
fn migration_sets_have_the_same_names() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let names = |backend: &str| -> BTreeSet<String> {
        std::fs::read_dir(root.join(backend))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let (pg, sqlite) = (names("postgres"), names("sqlite"));
    assert!(!pg.is_empty());
    assert_eq!(pg, sqlite);
    for name in &pg {
        for backend in ["postgres", "sqlite"] {
            for file in ["up.sql", "down.sql"] {
                assert!(root.join(backend).join(name).join(file).is_file(), "{backend}/{name}/{file}");
            }
        }
    }
}

/// Both backends end with the same tables and columns (name and nullability).
#[test]
fn both_backends_have_the_same_tables_and_columns_postgres() {
    #[derive(diesel::QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
    struct Col {
        #[diesel(sql_type = diesel::sql_types::Text)]
        table_name: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        column_name: String,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        nullable: bool,
    }
    let migrate = |backend| {
        let db = TestDb::new(backend);
        let out = std::process::Command::new(binary())
            .arg("migrate")
            .env("ANJOMAN_DATABASE_URL", &db.url)
            .env("ANJOMAN_DATA_DIR", db.dir.path().join("data"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        db
    };
    let sqlite = migrate(Backend::Sqlite);
    let pg = migrate(Backend::Postgres);
    let mut s: Vec<Col> = diesel::sql_query(
        "SELECT m.name AS table_name, p.name AS column_name, (p.\"notnull\" = 0 AND p.pk = 0) AS nullable \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations'",
    )
    .load(&mut sqlite.connect())
    .unwrap();
    let mut p: Vec<Col> = diesel::sql_query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, (is_nullable = 'YES') AS nullable \
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
    .load(&mut pg.connect())
    .unwrap();
    s.sort();
    p.sort();
    assert!(s.len() > 20);
    assert_eq!(s, p);
}

async fn web_client_is_served_with_history_fallback(backend: Backend) {
    let web = tempfile::tempdir().unwrap();
    std::fs::write(web.path().join("index.html"), "<!doctype html><title>spa-index</title>").unwrap();
    std::fs::create_dir(web.path().join("assets")).unwrap();
    std::fs::write(web.path().join("assets/app.js"), "console.log('spa')").unwrap();
    let dir = web.path().display().to_string();
    let app = TestApp::spawn_with(backend, &[("ANJOMAN_WEB_DIR", &dir)], &[]).await;
    let text = |path: &'static str| {
        let url = app.url(path);
        let client = app.client.clone();
        async move {
            let res = client.get(url).send().await.unwrap();
            (res.status().as_u16(), res.headers().get("content-type").cloned(), res.text().await.unwrap())
        }
    };
    let (status, _, body) = text("/").await;
    assert_eq!((status, body.contains("spa-index")), (200, true));
    let (status, _, body) = text("/profile/settings").await;
    assert_eq!((status, body.contains("spa-index")), (200, true), "client-side routes get index.html");
    let (status, ctype, body) = text("/assets/app.js").await;
    assert_eq!(status, 200);
    assert!(ctype.unwrap().to_str().unwrap().contains("javascript"));
    assert!(body.contains("console.log"));
    // The API never falls back to the page.
    app.get("/api/v1/nothing-here", None).await.expect_error(404, "not_found");
    app.get("/api/v1/me", None).await.expect_error(401, "unauthorized");
}

/// The operations guide's configuration reference names every variable the binary reads.
#[test]
fn the_operations_guide_lists_every_variable() {
    let guide = std::fs::read_to_string(anjoman_tests::workspace_root().join("deploy/README.md")).unwrap();
    let missing: Vec<&str> = anjoman_core::config::VARIABLES
        .iter()
        .map(|(name, _, _)| *name)
        .filter(|name| !guide.contains(&format!("| `{name}` |")))
        .collect();
    assert!(missing.is_empty(), "deploy/README.md lacks {missing:?}");
}
