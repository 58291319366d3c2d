//! Building engineers (EN-01..08): renewal inside the province's window, the expert's debt
//! assessment (only by the province's experts), payment crediting the expiry once; the record's
//! tabs and their rules (one correspondence address, degree image, read-only verified degrees,
//! residence proof exactly when the provinces differ); the import, all rows or none.

mod support;

use anjoman_core::dates::jalali_fa;
use anjoman_tests::{Answer, Backend};
use anjoman_tests::{
    GOOD_PASSWORD, PDF, TestApp, fresh_national_code, national_code_from, no_redirects, on_both_backends,
    pay_in_sandbox,
};
use chrono::NaiveDate;
use diesel::RunQueryDsl;
use serde_json::{Value, json};

on_both_backends!(
    a_renewal_is_assessed_paid_and_moves_the_expiry_once,
    the_record_is_saved_tab_by_tab_with_its_rules,
    engineers_are_imported_all_or_nothing,
    a_renewal_refused_with_a_reason_may_be_asked_again,
);

const DEMO: &str = "Anjoman-Demo-1403";
const TEHRAN_EXPERT: &str = "0091234565";
const ISFAHAN_EXPERT: &str = "0092345670";
/// Tehran, window open, born in Tehran.
const TEHRAN_ENGINEER: &str = "0093456786";
/// Isfahan, born in Tehran, window not open yet.
const ISFAHAN_ENGINEER: &str = "0094567891";

async fn token(app: &TestApp, code: &str) -> String {
    app.login(code, DEMO).await.expect_status(200)["access_token"].as_str().unwrap().to_owned()
}

async fn record(app: &TestApp, token: &str) -> Value {
    app.get("/api/v1/engineers/me", Some(token)).await.expect_status(200).clone()
}

fn date(v: &Value) -> NaiveDate {
    v.as_str().unwrap().parse().unwrap()
}

async fn upload(app: &TestApp, token: &str) -> String {
    let url = app.url("/api/v1/files?purpose=engineer_document&name=scan.pdf");
    let req =
        app.client.post(url).bearer_auth(token).header("content-type", "application/octet-stream").body(PDF.to_vec());
    app.send(req).await.expect_status(201)["id"].as_str().unwrap().to_owned()
}

async fn a_renewal_is_assessed_paid_and_moves_the_expiry_once(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let engineer = token(&app, TEHRAN_ENGINEER).await;
    let before = record(&app, &engineer).await;
    assert_eq!(before["residence_proof"]["required"], false);
    assert!(before["renewal"].is_null());
    let expiry = date(&before["expires_on"]);

    // Outside the window: refused with the opening date, in the Jalali calendar too.
    let isfahan = token(&app, ISFAHAN_ENGINEER).await;
    let opens = date(&record(&app, &isfahan).await["renewal_opens_on"]);
    let refused = app.post("/api/v1/engineers/me/renewals", Some(&isfahan), &json!({})).await;
    refused.expect_error(409, "renewal_not_open");
    assert!(refused.body["message"].as_str().unwrap().contains(&jalali_fa(opens)), "{}", refused.body);

    // Inside: under review, one at a time.
    let filed = app.post("/api/v1/engineers/me/renewals", Some(&engineer), &json!({})).await;
    let id = filed.expect_status(201)["id"].as_str().unwrap().to_owned();
    assert_eq!(filed.body["status"], "under_review");
    app.post("/api/v1/engineers/me/renewals", Some(&engineer), &json!({}))
        .await
        .expect_error(409, "renewal_in_progress");
    assert_eq!(record(&app, &engineer).await["renewal"]["status"], "under_review");

    // Another province's expert can neither see nor assess it.
    let other = token(&app, ISFAHAN_EXPERT).await;
    app.get("/api/v1/engineering/renewals?province_id=tehran", Some(&other)).await.expect_error(403, "forbidden");
    let assess = format!("/api/v1/engineering/renewals/{id}/assessment");
    app.post(&assess, Some(&other), &json!({"debt_rials": 0})).await.expect_error(403, "forbidden");
    app.post(&assess, Some(&engineer), &json!({"debt_rials": 0})).await.expect_error(403, "forbidden");

    // The province's expert: the queue, then the debt; fee × years + debt.
    let expert = token(&app, TEHRAN_EXPERT).await;
    let queue = app.get("/api/v1/engineering/renewals", Some(&expert)).await;
    let items = queue.expect_status(200).as_array().unwrap().clone();
    assert!(items.iter().any(|i| i["renewal"]["id"] == id.as_str() && i["national_code"] == TEHRAN_ENGINEER));
    app.post(&assess, Some(&expert), &json!({"debt_rials": -1})).await.expect_error(400, "validation_failed");
    let orgs = app.get("/api/v1/engineering/provinces", None).await.expect_status(200).clone();
    let tehran = orgs.as_array().unwrap().iter().find(|o| o["province_id"] == "tehran").unwrap().clone();
    let fee = tehran["annual_fee_rials"].as_i64().unwrap();
    let years = tehran["renewal_years"].as_i64().unwrap();
    let assessed = app.post(&assess, Some(&expert), &json!({"debt_rials": 3_000_000})).await;
    assert_eq!(assessed.expect_status(200)["status"], "awaiting_payment");
    assert_eq!(assessed.body["amount_rials"].as_i64().unwrap(), fee * years + 3_000_000);
    app.post(&assess, Some(&expert), &json!({"debt_rials": 0})).await.expect_error(409, "renewal_not_under_review");
    let invoice = assessed.body["invoice_id"].as_str().unwrap().to_owned();
    let bill = app.get(&format!("/api/v1/invoices/{invoice}"), Some(&engineer)).await;
    assert_eq!(bill.expect_status(200)["amount_rials"].as_i64().unwrap(), fee * years + 3_000_000);

    // Each province's systems may hear of paid renewals: only Tehran's hears of this one.
    let (tehran_hook, isfahan_hook) =
        (anjoman_tests::fakes::WebhookReceiver::start(0).await, anjoman_tests::fakes::WebhookReceiver::start(0).await);
    for (admin, province, hook) in [(&expert, "tehran", &tehran_hook), (&other, "isfahan", &isfahan_hook)] {
        let body =
            json!({"owner": "engineering", "province_id": province, "url": hook.url(), "events": ["renewal.paid"]});
        app.post("/api/v1/integrations/webhooks", Some(admin), &body).await.expect_status(201);
    }

    // Paid: the callback, replayed, moves the expiry once.
    let callback = pay_in_sandbox(&app, &engineer, &invoice).await;
    for _ in 0..2 {
        let res = no_redirects().get(&callback).send().await.unwrap();
        assert_eq!(res.status(), 303);
    }
    let after = record(&app, &engineer).await;
    let moved = expiry.checked_add_months(chrono::Months::new(12 * years as u32)).unwrap();
    assert_eq!(date(&after["expires_on"]), moved);
    assert_eq!(after["renewal"]["status"], "completed");
    assert_eq!(date(&after["renewal"]["expires_after"]), moved);
    let heard = tehran_hook.wait_for_calls(1, std::time::Duration::from_secs(15)).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(tehran_hook.calls.lock().unwrap().len(), 1, "once, although the callback came twice");
    let event: Value = serde_json::from_str(&heard[0].body).unwrap();
    assert_eq!(event["type"], "renewal.paid");
    assert_eq!(event["data"]["national_code"], TEHRAN_ENGINEER);
    assert_eq!(date(&event["data"]["expires_on"]), moved);
    assert!(isfahan_hook.calls.lock().unwrap().is_empty(), "another province hears nothing");
    let audit = app.get("/api/v1/audit-log?action=engineer.renewed", Some(&token(&app, "0084575948").await)).await;
    assert_eq!(audit.expect_status(200)["total"], 1);
    // The next renewal waits for the next window.
    app.post("/api/v1/engineers/me/renewals", Some(&engineer), &json!({})).await.expect_error(409, "renewal_not_open");
}

async fn main_info(app: &TestApp, token: &str, birth_province: &str) -> Answer {
    let body = json!({"father_name": "رضا", "gender": "female", "id_card_number": "5521", "birth_place": "تهران", "birth_province_id": birth_province});
    app.put("/api/v1/engineers/me/main", Some(token), &body).await
}

async fn the_record_is_saved_tab_by_tab_with_its_rules(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let me = token(&app, ISFAHAN_ENGINEER).await;
    let start = record(&app, &me).await;
    assert_eq!(start["residence_proof"]["required"], true, "born in Tehran, member in Isfahan");
    assert_eq!(start["residence_proof"]["provided"], false);
    assert_eq!(start["licence"]["grade"], "پایه ۲");
    app.get("/api/v1/engineers/me", Some(&token(&app, "1234567891").await)).await.expect_error(403, "forbidden");

    // Residence proof exactly when the provinces differ.
    assert_eq!(main_info(&app, &me, "isfahan").await.expect_status(200)["residence_proof"]["required"], false);
    main_info(&app, &me, "nowhere").await.expect_error(400, "validation_failed");
    assert_eq!(main_info(&app, &me, "tehran").await.expect_status(200)["residence_proof"]["required"], true);
    // The renewal waits for the proof: open the window wide, then ask.
    let expert = token(&app, ISFAHAN_EXPERT).await;
    let rules = json!({"name": "سازمان نظام مهندسی ساختمان استان اصفهان", "renewal_window_days": 365, "annual_fee_rials": 9_000_000, "renewal_years": 2});
    app.put("/api/v1/engineering/provinces/isfahan", Some(&expert), &rules).await.expect_status(200);
    app.put("/api/v1/engineering/provinces/tehran", Some(&expert), &rules).await.expect_error(403, "forbidden");
    app.post("/api/v1/engineers/me/renewals", Some(&me), &json!({}))
        .await
        .expect_error(409, "residence_proof_required");
    let file = upload(&app, &me).await;
    let photo = json!({"kind": "photo", "title": "عکس", "file_id": file});
    assert_eq!(
        app.post("/api/v1/engineers/me/documents", Some(&me), &photo).await.expect_status(200)["residence_proof"]["provided"],
        false
    );
    let lease = json!({"kind": "official_lease", "title": "اجاره‌نامه", "description": "۱۴۰۳ تا ۱۴۰۴", "file_id": upload(&app, &me).await});
    assert_eq!(
        app.post("/api/v1/engineers/me/documents", Some(&me), &lease).await.expect_status(200)["residence_proof"]["provided"],
        true
    );
    let bad_kind = json!({"kind": "passport", "title": "x", "file_id": file});
    app.post("/api/v1/engineers/me/documents", Some(&me), &bad_kind).await.expect_error(400, "validation_failed");
    app.post("/api/v1/engineers/me/renewals", Some(&me), &json!({})).await.expect_status(201);

    // Degrees: the image is required, and the inquiry code or a letter.
    let degree = |image: Option<&str>, inquiry: Option<&str>| json!({"level": "master", "discipline": "architecture", "orientation": "معماری منظر", "university": "دانشگاه هنر اصفهان", "graduated_on": "2014-06-30", "inquiry_code": inquiry, "image_file_id": image});
    let no_image = app.post("/api/v1/engineers/me/degrees", Some(&me), &degree(None, Some("ABC-123"))).await;
    assert!(no_image.expect_error(400, "validation_failed")["fields"]["image_file_id"].is_array());
    let image = upload(&app, &me).await;
    let no_code = app.post("/api/v1/engineers/me/degrees", Some(&me), &degree(Some(&image), None)).await;
    assert!(no_code.expect_error(400, "validation_failed")["fields"]["inquiry_code"].is_array());
    let mut chemistry = degree(Some(&image), Some("ABC-123"));
    chemistry["discipline"] = json!("chemistry");
    app.post("/api/v1/engineers/me/degrees", Some(&me), &chemistry).await.expect_error(400, "validation_failed");
    let added = app.post("/api/v1/engineers/me/degrees", Some(&me), &degree(Some(&image), Some("ABC-123"))).await;
    let degrees = added.expect_status(200)["degrees"].as_array().unwrap().clone();
    assert_eq!(degrees.len(), 2);
    let verified = degrees.iter().find(|d| d["verified"] == true).unwrap()["id"].as_str().unwrap().to_owned();
    let mine = degrees.iter().find(|d| d["verified"] == false).unwrap()["id"].as_str().unwrap().to_owned();
    let edit = degree(Some(&image), Some("XYZ-9"));
    assert_eq!(
        app.put(&format!("/api/v1/engineers/me/degrees/{mine}"), Some(&me), &edit).await.expect_status(200)["degrees"]
            [1]["inquiry_code"],
        "XYZ-9"
    );
    app.put(&format!("/api/v1/engineers/me/degrees/{verified}"), Some(&me), &edit)
        .await
        .expect_error(409, "degree_verified");
    let del = app
        .send(app.client.delete(app.url(&format!("/api/v1/engineers/me/degrees/{verified}"))).bearer_auth(&me))
        .await;
    del.expect_error(409, "degree_verified");
    // The province's expert verifies the new one: now read-only to the engineer too.
    let person = start["person_id"].as_str().unwrap();
    let verify = format!("/api/v1/engineering/engineers/{person}/degrees/{mine}/verification");
    app.post(&verify, Some(&token(&app, TEHRAN_EXPERT).await), &json!({})).await.expect_error(403, "forbidden");
    app.post(&verify, Some(&expert), &json!({})).await.expect_status(200);
    app.put(&format!("/api/v1/engineers/me/degrees/{mine}"), Some(&me), &edit)
        .await
        .expect_error(409, "degree_verified");

    // Contacts, active or not.
    app.post("/api/v1/engineers/me/contacts", Some(&me), &json!({"kind": "mobile", "value": "12345"}))
        .await
        .expect_error(400, "validation_failed");
    let phone = app
        .post("/api/v1/engineers/me/contacts", Some(&me), &json!({"kind": "landline", "value": "031-32220000"}))
        .await;
    let contact = phone.expect_status(200)["contacts"][0]["id"].as_str().unwrap().to_owned();
    let off = json!({"kind": "landline", "value": "031-32220000", "active": false});
    assert_eq!(
        app.put(&format!("/api/v1/engineers/me/contacts/{contact}"), Some(&me), &off).await.expect_status(200)["contacts"]
            [0]["active"],
        false
    );
    let stranger = token(&app, TEHRAN_ENGINEER).await;
    app.put(&format!("/api/v1/engineers/me/contacts/{contact}"), Some(&stranger), &off)
        .await
        .expect_error(404, "not_found");

    // Addresses: exactly one for letters, a legal domicile (guide 004).
    let address = |kind: &str, correspondence: bool| json!({"kind": kind, "province_id": "isfahan", "city": "اصفهان", "address": "اصفهان، خیابان چهارباغ عباسی، پلاک ۷", "postal_code": "8173834111", "correspondence": correspondence});
    let home = app.post("/api/v1/engineers/me/addresses", Some(&me), &address("residence", false)).await;
    assert_eq!(home.expect_status(200)["addresses"][0]["correspondence"], false, "a residence receives no letters");
    let home = home.body["addresses"][0]["id"].as_str().unwrap().to_owned();
    app.post("/api/v1/engineers/me/addresses", Some(&me), &address("work", true))
        .await
        .expect_error(409, "correspondence_not_domicile");
    app.post(&format!("/api/v1/engineers/me/addresses/{home}/correspondence"), Some(&me), &json!({}))
        .await
        .expect_error(409, "correspondence_not_domicile");
    app.send(app.client.delete(app.url(&format!("/api/v1/engineers/me/addresses/{home}"))).bearer_auth(&me))
        .await
        .expect_status(200);
    let one = app.post("/api/v1/engineers/me/addresses", Some(&me), &address("legal_domicile", false)).await;
    assert_eq!(one.expect_status(200)["addresses"][0]["correspondence"], true, "the first legal domicile is the one");
    let first_id = one.body["addresses"][0]["id"].as_str().unwrap().to_owned();
    app.put(&format!("/api/v1/engineers/me/addresses/{first_id}"), Some(&me), &address("work", false))
        .await
        .expect_error(409, "correspondence_not_domicile");
    let two = app.post("/api/v1/engineers/me/addresses", Some(&me), &address("legal_domicile", true)).await;
    let addresses = two.expect_status(200)["addresses"].as_array().unwrap().clone();
    assert_eq!(addresses.iter().filter(|a| a["correspondence"] == true).count(), 1);
    assert_eq!(addresses[1]["correspondence"], true);
    let (first, second) =
        (addresses[0]["id"].as_str().unwrap().to_owned(), addresses[1]["id"].as_str().unwrap().to_owned());
    let remove =
        |id: &str| app.client.delete(app.url(&format!("/api/v1/engineers/me/addresses/{id}"))).bearer_auth(&me);
    app.send(remove(&second)).await.expect_error(409, "correspondence_address");
    let moved =
        app.post(&format!("/api/v1/engineers/me/addresses/{first}/correspondence"), Some(&me), &json!({})).await;
    assert_eq!(moved.expect_status(200)["addresses"][0]["correspondence"], true);
    assert_eq!(moved.body["addresses"][1]["correspondence"], false);
    // Even written straight into the database, a second correspondence address is impossible.
    let sneak = format!(
        "INSERT INTO engineer_addresses (id, engineer_id, kind, province_id, city, address, correspondence, created_at, updated_at) \
         VALUES ('sneak', '{person}', 'work', 'isfahan', 'x', 'xxxxxxxxxxxx', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    );
    assert!(diesel::sql_query(sneak).execute(&mut app.db.connect()).is_err());
    assert_eq!(app.send(remove(&second)).await.expect_status(200)["addresses"].as_array().unwrap().len(), 1);
    let bad = json!({"kind": "home", "province_id": "isfahan", "city": "", "address": "short", "postal_code": "12"});
    let refused = app.post("/api/v1/engineers/me/addresses", Some(&me), &bad).await;
    let fields = refused.expect_error(400, "validation_failed")["fields"].clone();
    for f in ["kind", "city", "address", "postal_code"] {
        assert!(fields[f].is_array(), "{f}: {fields}");
    }

    // Spouse and children.
    let child = json!({"relation": "child", "first_name": "آرش", "last_name": "معماریان", "national_code": "1234567890", "birth_date": "2015-01-01"});
    app.post("/api/v1/engineers/me/relatives", Some(&me), &child).await.expect_error(400, "validation_failed");
    let child = json!({"relation": "child", "first_name": "آرش", "last_name": "معماریان", "national_code": fresh_national_code(), "birth_date": "2015-01-01"});
    let kept = app.post("/api/v1/engineers/me/relatives", Some(&me), &child).await;
    assert_eq!(kept.expect_status(200)["relatives"][0]["relation"], "child");

    // The expert sees the whole record; another province's does not.
    app.get(&format!("/api/v1/engineering/engineers/{person}"), Some(&expert)).await.expect_status(200);
    app.get(&format!("/api/v1/engineering/engineers/{person}"), Some(&token(&app, TEHRAN_EXPERT).await))
        .await
        .expect_error(403, "forbidden");
}

async fn import(app: &TestApp, token: &str, csv: &str, dry_run: bool) -> Answer {
    let url = app.url(&format!("/api/v1/engineers/import?dry_run={dry_run}"));
    app.send(app.client.post(url).bearer_auth(token).header("content-type", "text/csv").body(csv.to_owned())).await
}

async fn engineers_are_imported_all_or_nothing(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let expert = token(&app, TEHRAN_EXPERT).await;
    // `a` was born in Natanz (123: Isfahan), as the file says; `b`'s file gives no province.
    let (a, b) = (national_code_from("123"), fresh_national_code());
    let before = app.count("engineers");
    let bad = format!(
        "کد ملی,نام,نام خانوادگی,استان,شماره عضویت,تاریخ اعتبار,مدارک تحصیلی\n\
         {a},سارا,کاظمی,تهران,1-20-1,2027-05-01,bachelor:civil:عمران:دانشگاه تهران:2010-07-01\n\
         1234567890,علی,بد,تهران,1-20-2,2027-05-01,\n\
         {b},رضا,دیگری,اصفهان,11-1,2027-05-01,\n\
         {a},تکرار,تکرار,تهران,1-20-1,0203-01-01,bachelor:chemistry:شیمی:x:2010-01-01\n"
    );
    let refused = import(&app, &expert, &bad, false).await;
    let fields = refused.expect_error(400, "import_rejected")["fields"].clone();
    for key in [
        "rows[3].national_code",
        "rows[4].province",
        "rows[5].national_code",
        "rows[5].membership_number",
        "rows[5].expires_on",
        "rows[5].verified_degrees",
    ] {
        assert!(fields[key].is_array(), "{key}: {fields}");
    }
    assert!(fields["rows[2].national_code"].is_null());
    assert_eq!(app.count("engineers"), before, "nothing imported");
    let too_large = import(&app, &expert, &"x".repeat(8 * 1024 * 1024 + 1), false).await;
    assert!(
        too_large.expect_error(400, "import_too_large")["message"].as_str().unwrap().contains('۸'),
        "{}",
        too_large.body
    );
    app.post("/api/v1/engineers/import", Some(&token(&app, TEHRAN_ENGINEER).await), &json!({}))
        .await
        .expect_error(403, "forbidden");

    let good = format!(
        "national_code,first_name,last_name,province,membership_number,expires_on,birth_province,verified_degrees,mobile\n\
         {a},سارا,کاظمی,tehran,1-20-77001,2027-05-01,isfahan,bachelor:civil:عمران:دانشگاه تهران:2010-07-01|master:civil:سازه:دانشگاه تهران:2013-02-01,09123330001\n\
         {b},رضا,کریمی,تهران,1-20-77002,۱۴۰۵/۰۹/۲۹,,,\n"
    );
    let dry = import(&app, &expert, &good, true).await;
    assert_eq!(dry.expect_status(200)["rows"], 2);
    assert_eq!(dry.body["imported"], 0);
    assert_eq!(app.count("engineers"), before);
    let done = import(&app, &expert, &good, false).await;
    assert_eq!(done.expect_status(200)["imported"], 2);
    assert_eq!(done.body["new_people"], 2);
    assert_eq!(done.body["degrees"], 2);
    import(&app, &expert, &good, false).await.expect_error(400, "import_rejected");

    // Registering does not hand an imported record over: without a recorded contact it is
    // refused; with the recorded mobile, a code sent there opens the account.
    let body = json!({"national_code": b, "password": GOOD_PASSWORD, "first_name": "رضا", "last_name": "کریمی"});
    app.post("/api/v1/auth/register", None, &body).await.expect_error(409, "record_without_contact");
    let body = json!({"national_code": a, "password": GOOD_PASSWORD, "first_name": "سارا", "last_name": "کاظمی"});
    app.post("/api/v1/auth/register", None, &body).await.expect_error(409, "record_claim_by_recovery");
    app.post("/api/v1/auth/recovery", None, &json!({"national_code": a})).await.expect_status(202);
    let code = support::sent_code(&app, "09123330001", "password_reset");
    let reset = json!({"national_code": a, "code": code, "new_password": GOOD_PASSWORD});
    app.post("/api/v1/auth/recovery/reset", None, &reset).await.expect_status(204);
    let sara = app.login(&a, GOOD_PASSWORD).await.expect_status(200)["access_token"].as_str().unwrap().to_owned();
    let mine = record(&app, &sara).await;
    assert_eq!(mine["membership_number"], "1-20-77001");
    assert_eq!(mine["degrees"].as_array().unwrap().len(), 2);
    assert!(mine["degrees"].as_array().unwrap().iter().all(|d| d["verified"] == true));
    assert_eq!(mine["residence_proof"]["required"], true);

    let found = app.get("/api/v1/engineering/engineers?province_id=tehran&q=کاظمي", Some(&expert)).await;
    assert_eq!(found.expect_status(200)["total"], 1);
    assert_eq!(found.body["items"][0]["national_code"], a.as_str());
    app.get("/api/v1/engineering/engineers?province_id=isfahan", Some(&expert)).await.expect_error(403, "forbidden");
}

async fn a_renewal_refused_with_a_reason_may_be_asked_again(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let engineer = token(&app, TEHRAN_ENGINEER).await;
    let filed = app.post("/api/v1/engineers/me/renewals", Some(&engineer), &json!({})).await;
    let id = filed.expect_status(201)["id"].as_str().unwrap().to_owned();
    let url = format!("/api/v1/engineering/renewals/{id}/rejection");
    let reason = json!({"reason": "بدهی سال گذشته روشن نیست؛ رسید پرداخت را به پرونده بیفزایید."});
    app.post(&url, Some(&token(&app, ISFAHAN_EXPERT).await), &reason).await.expect_error(403, "forbidden");
    let expert = token(&app, TEHRAN_EXPERT).await;
    app.post(&url, Some(&expert), &json!({"reason": "  "})).await.expect_error(400, "validation_failed");
    let refused = app.post(&url, Some(&expert), &reason).await.expect_status(200).clone();
    assert_eq!(refused["status"], "rejected");
    assert_eq!(refused["reason"], reason["reason"]);
    app.post(&url, Some(&expert), &reason).await.expect_error(409, "renewal_not_under_review");
    app.post(&format!("/api/v1/engineering/renewals/{id}/assessment"), Some(&expert), &json!({"debt_rials": 0}))
        .await
        .expect_error(409, "renewal_not_under_review");
    // The engineer sees why, is told, and may ask again.
    let mine = record(&app, &engineer).await;
    assert_eq!(mine["renewal"]["status"], "rejected");
    assert_eq!(mine["renewal"]["reason"], reason["reason"]);
    let told = app.count("outbox_messages WHERE purpose = 'engineer_renewal' AND body LIKE '%پذیرفته نشد%'");
    assert!(told >= 1, "the engineer is told");
    app.post("/api/v1/engineers/me/renewals", Some(&engineer), &json!({})).await.expect_status(201);
    let audit =
        app.get("/api/v1/audit-log?action=engineer.renewal_rejected", Some(&token(&app, "0084575948").await)).await;
    assert_eq!(audit.expect_status(200)["total"], 1);
}
