//! Running Anjoman from zero (issue: roles, accounts and claiming): `create-admin` for each
//! top-level role, granting and revoking every hand-granted role by its authority, disabling
//! accounts, each person's sessions, and claiming a record an organisation made.

mod support;

use anjoman_tests::{Answer, Backend, GOOD_PASSWORD, TestApp, fresh_national_code, on_both_backends};
use serde_json::{Value, json};
use support::{audit_actions, commission, person, sent_code};

on_both_backends!(
    each_authority_grants_and_revokes_its_roles,
    revoked_and_disabled_take_effect_on_the_next_request,
    sessions_are_listed_and_ended_by_their_owner,
    a_recorded_person_claims_by_proving_the_recorded_contact,
    create_admin_bootstraps_each_top_level_role,
);

const DEMO: &str = "Anjoman-Demo-1403";

async fn token(app: &TestApp, code: &str, password: &str) -> String {
    app.login(code, password).await.expect_status(200)["access_token"].as_str().unwrap().to_owned()
}

async fn delete(app: &TestApp, path: &str, token: &str) -> Answer {
    app.send(app.client.delete(app.url(path)).bearer_auth(token)).await
}

async fn grant(app: &TestApp, token: &str, code: &str, role: &str, scope: Option<&str>) -> Answer {
    app.post("/api/v1/role-grants", Some(token), &json!({"national_code": code, "role": role, "scope_id": scope})).await
}

fn roles_of(list: &Value) -> Vec<String> {
    list["items"].as_array().unwrap().iter().map(|i| i["role"].as_str().unwrap().to_owned()).collect()
}

async fn each_authority_grants_and_revokes_its_roles(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let commission = commission(&app).await;
    let directorate = token(&app, "0499370899", DEMO).await;
    let tehran_expert = token(&app, "0091234565", DEMO).await;
    let someone = person(&app, "نامزد").await;

    // What each authority may grant.
    let mine = app.get("/api/v1/role-grants/grantable", Some(&commission)).await;
    assert_eq!(
        roles_of(mine.expect_status(200)),
        ["commission_admin", "directorate_admin", "engineering_admin", "association_admin"]
    );
    let theirs = app.get("/api/v1/role-grants/grantable", Some(&directorate)).await;
    assert_eq!(
        roles_of(theirs.expect_status(200)),
        ["directorate_admin", "university_reviewer", "distributor_manager"]
    );
    let experts = app.get("/api/v1/role-grants/grantable", Some(&tehran_expert)).await;
    assert_eq!(experts.expect_status(200)["items"][0]["scope_ids"], json!(["tehran"]));
    app.get("/api/v1/role-grants", Some(&someone.token)).await.expect_status(403);

    // The commission: a directorate admin and a province's first engineering admin.
    let granted = grant(&app, &commission, &someone.code, "directorate_admin", None).await;
    let directorate_grant = granted.expect_status(201)["id"].as_str().unwrap().to_owned();
    grant(&app, &commission, &someone.code, "directorate_admin", None).await.expect_error(409, "already_granted");
    let granted = grant(&app, &commission, &someone.code, "engineering_admin", Some("fars")).await;
    assert_eq!(granted.expect_status(201)["scope_name"], "فارس");
    let fars_grant = granted.body["id"].as_str().unwrap().to_owned();
    // Not the commission's to grant, nor the directorate's, nor a Tehran expert's elsewhere.
    grant(&app, &commission, &someone.code, "university_reviewer", Some("fars")).await.expect_status(403);
    grant(&app, &directorate, &someone.code, "association_admin", Some("x")).await.expect_status(403);
    grant(&app, &tehran_expert, &someone.code, "engineering_admin", Some("isfahan")).await.expect_status(403);
    grant(&app, &commission, &someone.code, "member", Some("x")).await.expect_error(400, "validation_failed");

    // Bad input changes nothing and answers in the envelope.
    let before = app.count("role_grants");
    let unknown = grant(&app, &commission, &fresh_national_code(), "directorate_admin", None).await;
    assert!(unknown.expect_error(400, "validation_failed")["fields"]["national_code"].is_array());
    let bad = grant(&app, &commission, "12345", "directorate_admin", None).await;
    bad.expect_error(400, "validation_failed");
    let nowhere = grant(&app, &commission, &someone.code, "engineering_admin", Some("atlantis")).await;
    assert!(nowhere.expect_error(400, "validation_failed")["fields"]["scope_id"].is_array());
    grant(&app, &commission, &someone.code, "engineering_admin", None).await.expect_error(400, "validation_failed");
    grant(&app, &commission, &someone.code, "directorate_admin", Some("tehran"))
        .await
        .expect_error(400, "validation_failed");
    delete(&app, "/api/v1/role-grants/no-such-grant", &commission).await.expect_error(404, "not_found");
    assert_eq!(app.count("role_grants"), before);

    // The directorate grants a reviewer; a Tehran expert grants a colleague in Tehran.
    let reviewer = person(&app, "کارشناس").await;
    grant(&app, &directorate, &reviewer.code, "university_reviewer", Some("tehran")).await.expect_status(201);
    let colleague = person(&app, "همکار").await;
    let granted = grant(&app, &tehran_expert, &colleague.code, "engineering_admin", Some("tehran")).await;
    let colleague_grant = granted.expect_status(201)["id"].as_str().unwrap().to_owned();

    // Each lists what it administers, with search.
    let listed = app.get("/api/v1/role-grants?role=engineering_admin", Some(&tehran_expert)).await;
    let items = listed.expect_status(200)["items"].as_array().unwrap().clone();
    assert!(items.iter().all(|i| i["scope_id"] == "tehran"), "only Tehran's: {items:?}");
    assert!(items.iter().any(|i| i["id"] == colleague_grant.as_str()));
    let searched = app.get(&format!("/api/v1/role-grants?q={}", &reviewer.code[..6]), Some(&directorate)).await;
    assert!(
        searched.expect_status(200)["items"].as_array().unwrap().iter().any(|i| i["national_code"] == reviewer.code)
    );
    let by_name = app.get("/api/v1/role-grants?q=%D9%87%D9%85%DA%A9%D8%A7%D8%B1", Some(&commission)).await;
    assert_eq!(by_name.expect_status(200)["total"], 1, "همکار by name");

    // Revoking: out of scope refused, in scope done and audited.
    delete(&app, &format!("/api/v1/role-grants/{fars_grant}"), &tehran_expert).await.expect_status(403);
    delete(&app, &format!("/api/v1/role-grants/{colleague_grant}"), &tehran_expert).await.expect_status(204);
    delete(&app, &format!("/api/v1/role-grants/{colleague_grant}"), &tehran_expert).await.expect_status(404);
    assert_eq!(audit_actions(&app, &commission, &colleague_grant).await, ["role.revoked", "role.granted"]);

    // The last holder of a top-level role stays: Fars has one engineering admin.
    delete(&app, &format!("/api/v1/role-grants/{fars_grant}"), &commission).await.expect_error(409, "last_holder");
    delete(&app, &format!("/api/v1/role-grants/{directorate_grant}"), &commission).await.expect_status(204);
    let only = app.get("/api/v1/role-grants?role=directorate_admin", Some(&commission)).await;
    let last = only.expect_status(200)["items"][0]["id"].as_str().unwrap().to_owned();
    delete(&app, &format!("/api/v1/role-grants/{last}"), &directorate).await.expect_error(409, "last_holder");
    let commissioners = app.get("/api/v1/role-grants?role=commission_admin", Some(&commission)).await;
    let own = commissioners.expect_status(200)["items"][0]["id"].as_str().unwrap().to_owned();
    delete(&app, &format!("/api/v1/role-grants/{own}"), &commission).await.expect_error(409, "last_holder");

    // The older per-domain endpoints grant through the same audited path.
    let admin = person(&app, "مدیرانجمن").await;
    let assoc =
        app.post("/api/v1/associations", Some(&commission), &json!({"code": "roles-a", "name": "انجمن نقش"})).await;
    let aid = assoc.expect_status(201)["id"].as_str().unwrap().to_owned();
    app.post(&format!("/api/v1/associations/{aid}/admins"), Some(&commission), &json!({"national_code": admin.code}))
        .await
        .expect_status(204);
    let listed =
        app.get(&format!("/api/v1/role-grants?role=association_admin&scope_id={aid}"), Some(&commission)).await;
    let item = listed.expect_status(200)["items"][0].clone();
    assert_eq!(item["scope_name"], "انجمن نقش");
    assert_eq!(audit_actions(&app, &commission, item["id"].as_str().unwrap()).await, ["role.granted"]);
}

async fn revoked_and_disabled_take_effect_on_the_next_request(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let commission = commission(&app).await;
    let other = person(&app, "دوم").await;
    let granted = grant(&app, &commission, &other.code, "commission_admin", None).await;
    let id = granted.expect_status(201)["id"].as_str().unwrap().to_owned();
    // The token issued before the grant works with the new role at once…
    app.get("/api/v1/people", Some(&other.token)).await.expect_status(200);
    delete(&app, &format!("/api/v1/role-grants/{id}"), &commission).await.expect_status(204);
    // …and after the revocation the same token is refused at once (no token window).
    app.get("/api/v1/people", Some(&other.token)).await.expect_status(403);

    // Disabling: every session ends, login is refused with a clear message.
    let victim = person(&app, "غیرفعال").await;
    let second = token(&app, &victim.code, GOOD_PASSWORD).await;
    let found = app.get(&format!("/api/v1/people?q={}", victim.code), Some(&commission)).await;
    let pid = found.expect_status(200)["items"][0]["id"].as_str().unwrap().to_owned();
    app.post(&format!("/api/v1/people/{pid}/disable"), Some(&commission), &json!({"reason": " "}))
        .await
        .expect_error(400, "validation_failed");
    app.post(&format!("/api/v1/people/{pid}/disable"), Some(&other.token), &json!({"reason": "x"}))
        .await
        .expect_status(403);
    let done = app.post(&format!("/api/v1/people/{pid}/disable"), Some(&commission), &json!({"reason": "تخلف"})).await;
    assert_eq!(done.expect_status(200)["disabled"], true);
    assert_eq!(done.body["disabled_reason"], "تخلف");
    app.get("/api/v1/me", Some(&victim.token)).await.expect_status(401);
    app.get("/api/v1/me", Some(&second)).await.expect_status(401);
    let refused = app.login(&victim.code, GOOD_PASSWORD).await;
    assert!(refused.expect_error(403, "account_disabled")["message"].as_str().unwrap().len() > 10);
    // A wrong password says nothing about the account.
    app.login(&victim.code, "Wrong-pass 1").await.expect_error(401, "invalid_credentials");
    app.post(&format!("/api/v1/people/{pid}/enable"), Some(&commission), &json!({})).await.expect_status(200);
    token(&app, &victim.code, GOOD_PASSWORD).await;
    assert_eq!(audit_actions(&app, &commission, &pid).await[..2], ["account.enabled", "auth.login_refused_disabled"]);

    // Not oneself, nor someone unknown.
    let me = app.get("/api/v1/me", Some(&commission)).await.expect_status(200)["id"].as_str().unwrap().to_owned();
    app.post(&format!("/api/v1/people/{me}/disable"), Some(&commission), &json!({"reason": "x"}))
        .await
        .expect_error(409, "cannot_disable_self");
    app.post("/api/v1/people/nobody/disable", Some(&commission), &json!({"reason": "x"}))
        .await
        .expect_error(404, "not_found");
}

async fn sessions_are_listed_and_ended_by_their_owner(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let p = person(&app, "نشست").await;
    let phone = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("user-agent", "Phone-Browser/1.0")
                .json(&json!({"national_code": p.code, "password": GOOD_PASSWORD})),
        )
        .await;
    let phone = phone.expect_status(200)["access_token"].as_str().unwrap().to_owned();
    let third = token(&app, &p.code, GOOD_PASSWORD).await;
    let list = app.get("/api/v1/me/sessions", Some(&p.token)).await;
    let items = list.expect_status(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 3);
    assert_eq!(items.iter().filter(|s| s["current"] == true).count(), 1);
    assert!(items.iter().all(|s| s["ip"] == "127.0.0.1" && s["last_used_at"].is_string()));
    let phone_session =
        items.iter().find(|s| s["user_agent"] == "Phone-Browser/1.0").expect("the phone's session")["id"]
            .as_str()
            .unwrap();
    delete(&app, &format!("/api/v1/me/sessions/{phone_session}"), &p.token).await.expect_status(204);
    app.get("/api/v1/me", Some(&phone)).await.expect_status(401);
    // Someone else's session is not found, never ended.
    let q = person(&app, "دیگری").await;
    let theirs = app.get("/api/v1/me/sessions", Some(&q.token)).await.expect_status(200)["items"][0]["id"].clone();
    delete(&app, &format!("/api/v1/me/sessions/{}", theirs.as_str().unwrap()), &p.token).await.expect_status(404);
    app.get("/api/v1/me", Some(&q.token)).await.expect_status(200);

    let ended = app.post("/api/v1/me/sessions/end-others", Some(&p.token), &json!({})).await;
    assert_eq!(ended.expect_status(200)["ended"], 1);
    app.get("/api/v1/me", Some(&third)).await.expect_status(401);
    app.get("/api/v1/me", Some(&p.token)).await.expect_status(200);
    assert_eq!(
        app.get("/api/v1/me/sessions", Some(&p.token)).await.expect_status(200)["items"].as_array().unwrap().len(),
        1
    );
}

async fn import(app: &TestApp, token: &str, id: &str, rows: &[String]) {
    let body =
        format!("national_code,first_name,last_name,field,degree_level,mobile,email\r\n{}\r\n", rows.join("\r\n"));
    let url = app.url(&format!("/api/v1/associations/{id}/members/import"));
    app.send(app.client.post(url).bearer_auth(token).header("content-type", "text/csv").body(body))
        .await
        .expect_status(200);
}

async fn a_recorded_person_claims_by_proving_the_recorded_contact(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let commission = commission(&app).await;
    let (aid, admin, _) = support::association(&app, "claim", 0).await;
    let (with_email, without) = (fresh_national_code(), fresh_national_code());
    import(
        &app,
        &admin.token,
        &aid,
        &[
            format!("{with_email},سارا,ثبتی,انفورماتیک پزشکی,master,,recorded@example.ir"),
            format!("{without},نادر,بی‌نشان,انفورماتیک پزشکی,master,,"),
        ],
    )
    .await;

    // Someone else types the national code with their own contacts: nothing is handed over.
    let (persons, accounts) = (app.count("persons"), app.count("accounts"));
    let claim = json!({"national_code": with_email, "password": GOOD_PASSWORD, "first_name": "دزد", "last_name": "ناشناس",
        "mobile": "09129999999", "email": "thief@example.ir"});
    let refused = app.post("/api/v1/auth/register", None, &claim).await;
    refused.expect_error(409, "record_claim_by_recovery");
    app.login(&with_email, GOOD_PASSWORD).await.expect_error(401, "invalid_credentials");
    let claim = json!({"national_code": without, "password": GOOD_PASSWORD, "first_name": "دزد", "last_name": "ناشناس",
        "mobile": "09129999999", "email": "thief@example.ir"});
    app.post("/api/v1/auth/register", None, &claim).await.expect_error(409, "record_without_contact");
    assert_eq!((app.count("persons"), app.count("accounts")), (persons, accounts));

    // The owner proves the recorded e-mail through "forgot password", and so gets the account.
    app.post("/api/v1/auth/recovery", None, &json!({"national_code": with_email})).await.expect_status(202);
    let code = sent_code(&app, "recorded@example.ir", "password_reset");
    app.post(
        "/api/v1/auth/recovery/reset",
        None,
        &json!({"national_code": with_email, "code": code, "new_password": GOOD_PASSWORD}),
    )
    .await
    .expect_status(204);
    let owner = token(&app, &with_email, GOOD_PASSWORD).await;
    let me = app.get("/api/v1/me", Some(&owner)).await;
    assert_eq!(me.expect_status(200)["email"], "recorded@example.ir", "recorded contacts kept");
    assert_eq!(me.body["first_name"], "سارا");
    let id = me.body["id"].as_str().unwrap().to_owned();
    assert!(audit_actions(&app, &commission, &id).await.contains(&"person.claimed".to_owned()));
    // The single-member form records a person new to the system, who claims the same way.
    let newcomer = fresh_national_code();
    let url = format!("/api/v1/associations/{aid}/members");
    let bare = json!({"national_code": newcomer, "field": "انفورماتیک پزشکی", "degree_level": "master"});
    let unknown = app.post(&url, Some(&admin.token), &bare).await;
    assert!(unknown.expect_error(400, "validation_failed")["fields"]["national_code"].is_array());
    let half = json!({"national_code": newcomer, "field": "انفورماتیک پزشکی", "degree_level": "master",
        "first_name": "مینا", "email": "not-an-email"});
    let half = app.post(&url, Some(&admin.token), &half).await;
    let fields = half.expect_error(400, "validation_failed")["fields"].clone();
    assert!(fields["last_name"].is_array() && fields["email"].is_array(), "{fields}");
    assert_eq!(app.count("persons"), persons, "nothing recorded");
    let full = json!({"national_code": newcomer, "field": "انفورماتیک پزشکی", "degree_level": "master",
        "first_name": "مینا", "last_name": "تازه", "email": "mina@example.ir"});
    assert_eq!(app.post(&url, Some(&admin.token), &full).await.expect_status(201)["status"], "approved");
    app.post("/api/v1/auth/recovery", None, &json!({"national_code": newcomer})).await.expect_status(202);
    let code = sent_code(&app, "mina@example.ir", "password_reset");
    let reset = json!({"national_code": newcomer, "code": code, "new_password": GOOD_PASSWORD});
    app.post("/api/v1/auth/recovery/reset", None, &reset).await.expect_status(204);
    let mina = token(&app, &newcomer, GOOD_PASSWORD).await;
    let mine = app.get("/api/v1/me/memberships", Some(&mina)).await;
    assert_eq!(mine.expect_status(200)["items"][0]["status"], "approved");

    // Once claimed, it is an ordinary account.
    app.post(
        "/api/v1/auth/register",
        None,
        &json!({"national_code": with_email, "password": GOOD_PASSWORD,
        "first_name": "x", "last_name": "y", "mobile": "09121111111"}),
    )
    .await
    .expect_error(409, "already_registered");
}

async fn create_admin_bootstraps_each_top_level_role(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let run = |args: &[&str]| {
        let out = app.cli(args);
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (commissioner, director, engineer) = (fresh_national_code(), fresh_national_code(), fresh_national_code());
    let (ok, out) = run(&["create-admin", "--national-code", &commissioner, "--password", GOOD_PASSWORD]);
    assert!(ok, "{out}");
    let (ok, out) = run(&[
        "create-admin",
        "--national-code",
        &director,
        "--password",
        GOOD_PASSWORD,
        "--role",
        "directorate_admin",
    ]);
    assert!(ok && out.contains("directorate_admin"), "{out}");
    let (ok, out) = run(&[
        "create-admin",
        "--national-code",
        &engineer,
        "--password",
        GOOD_PASSWORD,
        "--role",
        "engineering_admin",
    ]);
    assert!(!ok && out.contains("--province"), "{out}");
    let (ok, out) = run(&[
        "create-admin",
        "--national-code",
        &engineer,
        "--password",
        GOOD_PASSWORD,
        "--role",
        "engineering_admin",
        "--province",
        "atlantis",
    ]);
    assert!(!ok && out.contains("no province"), "{out}");
    let (ok, out) =
        run(&["create-admin", "--national-code", &engineer, "--password", GOOD_PASSWORD, "--role", "member"]);
    assert!(!ok, "{out}");
    let (ok, out) = run(&[
        "create-admin",
        "--national-code",
        &engineer,
        "--password",
        GOOD_PASSWORD,
        "--role",
        "engineering_admin",
        "--province",
        "fars",
    ]);
    assert!(ok, "{out}");

    // Each signs in holding the role, and grants on from there.
    let commission = token(&app, &commissioner, GOOD_PASSWORD).await;
    let me = app.get("/api/v1/me", Some(&commission)).await;
    assert_eq!(me.expect_status(200)["grants"][0]["role"], "commission_admin", "{}", me.body);
    let directorate = token(&app, &director, GOOD_PASSWORD).await;
    let theirs = app.get("/api/v1/role-grants/grantable", Some(&directorate)).await;
    assert!(roles_of(theirs.expect_status(200)).contains(&"university_reviewer".to_owned()));
    let fars = token(&app, &engineer, GOOD_PASSWORD).await;
    let experts = app.get("/api/v1/role-grants/grantable", Some(&fars)).await;
    assert_eq!(experts.expect_status(200)["items"][0]["scope_ids"], json!(["fars"]));
}
