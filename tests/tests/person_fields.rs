//! One owner per personal field (`anjoman_core::person_fields`): a registered officer's name
//! changes only by amendment and the birth date never (TO-05, TO-06); an engineer's name is the
//! organisation's, and the province of birth comes from the national code (EN-07, guide 004).
//! Each rule is tried through every door that writes a person: the walk over the OpenAPI document
//! fails when a write endpoint carrying a personal field is not accounted for here.

mod support;

use anjoman_tests::{Answer, Backend, GOOD_PASSWORD, TestApp, national_code_from, on_both_backends};
use serde_json::{Value, json};

on_both_backends!(
    an_officers_name_and_birth_date_hold_on_every_door,
    an_engineers_name_and_province_of_birth_hold_on_every_door,
    a_province_of_birth_the_code_does_not_give_is_entered_and_confirmed_by_an_expert,
);

const DEMO: &str = "Anjoman-Demo-1403";
const OFFICER: &str = "0073456780";
const TEHRAN_EXPERT: &str = "0091234565";
/// A demo engineer of Tehran, whose renewal window is open.
const TEHRAN_ENGINEER: &str = "0093456786";

async fn token(app: &TestApp, code: &str, password: &str) -> String {
    app.login(code, password).await.expect_status(200)["access_token"].as_str().unwrap().to_owned()
}

async fn me(app: &TestApp, token: &str) -> Value {
    app.get("/api/v1/me", Some(token)).await.expect_status(200).clone()
}

fn protected(me: &Value) -> Vec<(String, String)> {
    me["protected_fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["field"].as_str().unwrap().to_owned(), p["change"].as_str().unwrap().to_owned()))
        .collect()
}

/// The write endpoints whose request body carries a personal field, and why each cannot change
/// a protected one of an existing person. The walk below fails on any endpoint not listed.
const DOORS: &[(&str, &str, &str)] = &[
    ("PATCH", "/api/v1/me", "the rule table: tried below for officers and engineers"),
    ("PATCH", "/api/v1/officers/me", "names and birth date refused by the rule table: tried below"),
    (
        "POST",
        "/api/v1/officers/me/requests",
        "the amendment itself: the name changes once a reviewer approves it (TO-05)",
    ),
    ("POST", "/api/v1/officers", "takes the name from the person; the birth date only when none is recorded"),
    ("PUT", "/api/v1/engineers/me/main", "birth date and province of birth by the rule table: tried below"),
    ("POST", "/api/v1/auth/register", "a national code already recorded is refused: tried below"),
    (
        "POST",
        "/api/v1/associations/{id}/members",
        "records new people; an existing person's record is kept: tried below",
    ),
    ("POST", "/api/v1/engineers/me/relatives", "a relative's own fields, not a person's"),
    ("PUT", "/api/v1/engineers/me/relatives/{id}", "a relative's own fields, not a person's"),
];

/// Personal fields of the rule table, as request bodies name them.
const PERSONAL: &[&str] = &["first_name", "last_name", "birth_date", "birth_province_id"];

fn properties(doc: &Value, schema: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 6 {
        return;
    }
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap();
        return properties(doc, &doc["components"]["schemas"][name], out, depth + 1);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for s in schema[key].as_array().into_iter().flatten() {
            properties(doc, s, out, depth + 1);
        }
    }
    if let Some(items) = schema.get("items") {
        properties(doc, items, out, depth + 1);
    }
    for (k, v) in schema["properties"].as_object().into_iter().flatten() {
        out.push(k.clone());
        properties(doc, v, out, depth + 1);
    }
}

#[test]
fn every_write_endpoint_carrying_a_personal_field_is_accounted_for() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut found = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            if !["post", "put", "patch"].contains(&method.as_str()) {
                continue;
            }
            let mut props = Vec::new();
            for content in op["requestBody"]["content"].as_object().into_iter().flatten() {
                properties(&doc, &content.1["schema"], &mut props, 0);
            }
            if props.iter().any(|p| PERSONAL.contains(&p.as_str())) {
                found.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    let listed: Vec<(String, String)> = DOORS.iter().map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned())).collect();
    let unlisted: Vec<_> = found.iter().filter(|d| !listed.contains(d)).collect();
    assert!(unlisted.is_empty(), "write endpoints carrying a personal field, not in DOORS: {unlisted:?}");
    let stale: Vec<_> = listed.iter().filter(|d| !found.contains(d)).collect();
    assert!(stale.is_empty(), "DOORS lists endpoints that no longer carry a personal field: {stale:?}");
    // The imports are CSV bodies: they write names only for people they record anew, and the
    // birth date only when none is recorded (api/officers/src/import, api/engineers/src/import.rs).
    assert!(doc["paths"]["/api/v1/officers/import"]["post"].is_object());
    assert!(doc["paths"]["/api/v1/engineers/import"]["post"].is_object());
}

fn refused_fields(answer: &Answer, code: &str) -> Vec<String> {
    let body = answer.expect_error(400, code);
    let mut keys: Vec<String> = body["fields"].as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

async fn an_officers_name_and_birth_date_hold_on_every_door(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let officer = token(&app, OFFICER, DEMO).await;
    let before = me(&app, &officer).await;
    assert!(before["birth_date"].is_string(), "a registered officer has a birth date");
    let held = protected(&before);
    for rule in [
        ("first_name", "by_amendment"),
        ("last_name", "by_amendment"),
        ("birth_date", "never"),
        ("national_code", "never"),
    ] {
        assert!(held.contains(&(rule.0.to_owned(), rule.1.to_owned())), "{rule:?} in {held:?}");
    }

    // The profile: names and the birth date are refused, one message each; nothing changes.
    let edit = json!({"first_name": "دیگر", "last_name": "نام", "birth_date": "1990-01-01", "mobile": "09121112233"});
    let refused = app.patch("/api/v1/me", Some(&officer), &edit).await;
    assert_eq!(refused_fields(&refused, "field_protected"), ["birth_date", "first_name", "last_name"]);
    let after = me(&app, &officer).await;
    for f in ["first_name", "last_name", "birth_date", "mobile"] {
        assert_eq!(after[f], before[f], "{f} unchanged");
    }
    // The same values, and the free fields, go through.
    let same = json!({"first_name": before["first_name"], "birth_date": before["birth_date"], "mobile": "09121112233"});
    assert_eq!(app.patch("/api/v1/me", Some(&officer), &same).await.expect_status(200)["mobile"], "09121112233");

    // The officer's own page refuses them too.
    let own = json!({"first_name": "دیگر", "birth_date": "1990-01-01", "national_code": "0010350829"});
    let refused = app.patch("/api/v1/officers/me", Some(&officer), &own).await;
    assert_eq!(refused_fields(&refused, "validation_failed"), ["birth_date", "first_name", "national_code"]);

    // Another door naming the same national code: registration is refused, an association's
    // members form records the membership and keeps the person's record.
    let register =
        json!({"national_code": OFFICER, "password": GOOD_PASSWORD, "first_name": "دیگر", "last_name": "نام"});
    assert!(app.post("/api/v1/auth/register", None, &register).await.status.is_client_error());
    let (association, admin, _) = support::association(&app, "fields", 0).await;
    let member = json!({"national_code": OFFICER, "first_name": "دیگر", "last_name": "نام", "mobile": "09350000000"});
    let added = app.post(&format!("/api/v1/associations/{association}/members"), Some(&admin.token), &member).await;
    assert!(!added.status.is_server_error(), "{:?}", added.body);
    let last = me(&app, &officer).await;
    assert_eq!(last["first_name"], before["first_name"]);
    assert_eq!(last["last_name"], before["last_name"]);
    assert_eq!(last["birth_date"], before["birth_date"]);

    // A plain member's name stays free, and an empty birth date may be filled once, then not changed.
    let plain = support::person(&app, "ساده").await;
    assert_eq!(protected(&me(&app, &plain.token).await), [("national_code".to_owned(), "never".to_owned())]);
    let renamed =
        app.patch("/api/v1/me", Some(&plain.token), &json!({"first_name": "سادهتر", "birth_date": "1990-01-01"})).await;
    assert_eq!(renamed.expect_status(200)["first_name"], "سادهتر");
}

async fn import(app: &TestApp, token: &str, csv: &str) -> Answer {
    let url = app.url("/api/v1/engineers/import");
    app.send(app.client.post(url).bearer_auth(token).header("content-type", "text/csv").body(csv.to_owned())).await
}

/// Registers a person with this national code, and has the Tehran organisation import them as
/// an engineer (with `birth_province` in the file); returns their token.
async fn engineer(app: &TestApp, code: &str, birth_province: &str) -> String {
    let body = json!({"national_code": code, "password": GOOD_PASSWORD, "first_name": "مهندس", "last_name": "آزمون"});
    app.post("/api/v1/auth/register", None, &body).await.expect_status(201);
    let expert = token(app, TEHRAN_EXPERT, DEMO).await;
    // Expiring in 100 days, with the province's renewal window opened to a year.
    let expires = (chrono::Utc::now().date_naive() + chrono::Duration::days(100)).to_string();
    let csv = format!(
        "national_code,first_name,last_name,province,membership_number,expires_on,birth_province\n\
         {code},مهندس,آزمون,tehran,1-20-{},{expires},{birth_province}\n",
        &code[3..8]
    );
    import(app, &expert, &csv).await.expect_status(200);
    let rules = json!({"name": "سازمان نظام مهندسی ساختمان استان تهران", "renewal_window_days": 365, "annual_fee_rials": 9_000_000, "renewal_years": 1});
    app.put("/api/v1/engineering/provinces/tehran", Some(&expert), &rules).await.expect_status(200);
    token(app, code, GOOD_PASSWORD).await
}

async fn main_info(app: &TestApp, token: &str, birth_province: Option<&str>) -> Answer {
    let body = json!({"father_name": "رضا", "gender": "female", "id_card_number": "5521", "birth_place": "نطنز", "birth_province_id": birth_province});
    app.put("/api/v1/engineers/me/main", Some(token), &body).await
}

async fn an_engineers_name_and_province_of_birth_hold_on_every_door(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    // The organisation's name of an engineer: refused on the profile.
    let demo = token(&app, TEHRAN_ENGINEER, DEMO).await;
    let held = protected(&me(&app, &demo).await);
    assert!(held.contains(&("last_name".to_owned(), "by_organisation".to_owned())), "{held:?}");
    let refused = app.patch("/api/v1/me", Some(&demo), &json!({"last_name": "دیگر"})).await;
    assert_eq!(refused_fields(&refused, "field_protected"), ["last_name"]);

    // Born in Natanz (prefix 123, Isfahan), a member in Tehran.
    let code = national_code_from("123");
    let expert = token(&app, TEHRAN_EXPERT, DEMO).await;
    // The import cannot say another province than the code gives.
    let wrong = format!(
        "national_code,first_name,last_name,province,membership_number,expires_on,birth_province\n\
         {code},مهندس,آزمون,tehran,1-20-55555,2030-01-01,tehran\n"
    );
    let fields = import(&app, &expert, &wrong).await.expect_error(400, "import_rejected")["fields"].clone();
    assert!(fields["rows[2].birth_province"].is_array(), "{fields}");
    let me_token = engineer(&app, &code, "").await;
    let record = app.get("/api/v1/engineers/me", Some(&me_token)).await.expect_status(200).clone();
    assert_eq!(record["main"]["birth_province_id"], "isfahan");
    assert_eq!(record["main"]["birth_province_source"], "national_code");
    assert_eq!(record["main"]["issuing_area"], "نطنز");
    assert_eq!(record["residence_proof"]["required"], true);
    // Switching it to the membership province, or emptying it, dodges nothing.
    let dodge = main_info(&app, &me_token, Some("tehran")).await;
    assert_eq!(refused_fields(&dodge, "field_protected"), ["birth_province_id"]);
    let emptied = main_info(&app, &me_token, None).await.expect_status(200).clone();
    assert_eq!(emptied["main"]["birth_province_id"], "isfahan");
    assert_eq!(emptied["residence_proof"]["required"], true);
    app.post("/api/v1/engineers/me/renewals", Some(&me_token), &json!({}))
        .await
        .expect_error(409, "residence_proof_required");
    // No expert confirms what the code gives.
    let person = record["person_id"].as_str().unwrap();
    app.put(
        &format!("/api/v1/engineering/engineers/{person}/birth-province"),
        Some(&expert),
        &json!({"province_id": "tehran"}),
    )
    .await
    .expect_error(409, "birth_province_from_national_code");
    // The birth date is filled once, then never changes.
    let body = json!({"father_name": "رضا", "gender": "female", "id_card_number": "5521", "birth_place": "نطنز", "birth_date": "1985-04-01"});
    app.put("/api/v1/engineers/me/main", Some(&me_token), &body).await.expect_status(200);
    let changed = json!({"father_name": "رضا", "gender": "female", "id_card_number": "5521", "birth_place": "نطنز", "birth_date": "1986-04-01"});
    let refused = app.put("/api/v1/engineers/me/main", Some(&me_token), &changed).await;
    assert_eq!(refused_fields(&refused, "field_protected"), ["birth_date"]);
    let refused =
        app.patch("/api/v1/me", Some(&me_token), &json!({"birth_date": "1986-04-01", "first_name": "دیگر"})).await;
    assert_eq!(refused_fields(&refused, "field_protected"), ["birth_date", "first_name"]);
}

async fn a_province_of_birth_the_code_does_not_give_is_entered_and_confirmed_by_an_expert(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    // 000 names no issuing area: nothing known, so residence proof is due until it is.
    let code = national_code_from("000");
    let me_token = engineer(&app, &code, "").await;
    let record = app.get("/api/v1/engineers/me", Some(&me_token)).await.expect_status(200).clone();
    assert_eq!(record["main"]["birth_province_source"], "unknown");
    assert!(record["main"]["issuing_area"].is_null());
    assert_eq!(record["residence_proof"]["required"], true, "an unknown province of birth dodges nothing");
    // The engineer enters it; it waits for an expert.
    let entered = main_info(&app, &me_token, Some("tehran")).await.expect_status(200).clone();
    assert_eq!(entered["main"]["birth_province_source"], "entered");
    assert_eq!(entered["residence_proof"]["required"], false);
    let expert = token(&app, TEHRAN_EXPERT, DEMO).await;
    let renewal = app.post("/api/v1/engineers/me/renewals", Some(&me_token), &json!({})).await;
    let renewal = renewal.expect_status(201)["id"].as_str().unwrap().to_owned();
    let assess = json!({"debt_rials": 0});
    app.post(&format!("/api/v1/engineering/renewals/{renewal}/assessment"), Some(&expert), &assess)
        .await
        .expect_error(409, "birth_province_unconfirmed");
    // Another province's expert may not confirm it; the province's does, and it is audited.
    let person = entered["person_id"].as_str().unwrap();
    let url = format!("/api/v1/engineering/engineers/{person}/birth-province");
    app.put(&url, Some(&token(&app, "0092345670", DEMO).await), &json!({"province_id": "tehran"}))
        .await
        .expect_error(403, "forbidden");
    app.put(&url, Some(&expert), &json!({"province_id": "nowhere"})).await.expect_error(400, "validation_failed");
    let confirmed = app.put(&url, Some(&expert), &json!({"province_id": "tehran"})).await.expect_status(200).clone();
    assert_eq!(confirmed["main"]["birth_province_source"], "confirmed");
    app.post(&format!("/api/v1/engineering/renewals/{renewal}/assessment"), Some(&expert), &assess)
        .await
        .expect_status(200);
    let audit = app
        .get("/api/v1/audit-log?action=engineer.birth_province_confirmed", Some(&token(&app, "0084575948", DEMO).await))
        .await;
    assert_eq!(audit.expect_status(200)["total"], 1);
    // Changing the entry asks for confirmation again.
    let changed = main_info(&app, &me_token, Some("qom")).await.expect_status(200).clone();
    assert_eq!(changed["main"]["birth_province_source"], "entered");
    assert_eq!(changed["residence_proof"]["required"], true);
}
