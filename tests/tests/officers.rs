//! Technical officers (TO-01..07): registration with the allowed fields, the field rules, the
//! qualification request through the province's university — deficiencies going back to the
//! same reviewer, approval with the fee, payment in the sandbox gateway credited once — then an
//! amendment, and a rejection followed by a request to another province; on both backends.

use anjoman_tests::{
    Answer, Backend, GOOD_PASSWORD, PDF, TestApp, fresh_national_code, no_redirects, on_both_backends, pay_in_sandbox,
};
use serde_json::{Value, json};

on_both_backends!(
    an_officer_is_qualified_through_deficiencies_review_and_payment,
    a_rejected_officer_may_ask_again_elsewhere,
    a_distributor_names_an_officer_who_accepts_and_later_ends_it,
    the_directorate_writes_to_one_some_or_all_officers,
    existing_officers_and_their_distributors_are_imported_all_or_nothing,
);

const DIRECTORATE: &str = "0499370899";

struct Person {
    code: String,
    token: String,
}

async fn person(app: &TestApp, first: &str) -> Person {
    let code = fresh_national_code();
    let body = json!({"national_code": code, "password": GOOD_PASSWORD, "first_name": first, "last_name": "آزمون", "mobile": format!("0912{}", &code[..7]), "email": format!("{code}@example.ir")});
    app.post("/api/v1/auth/register", None, &body).await.expect_status(201);
    let token = app.login(&code, GOOD_PASSWORD).await.expect_status(200)["access_token"].as_str().unwrap().to_owned();
    Person { code, token }
}

async fn relogin(app: &TestApp, p: &Person) -> String {
    app.login(&p.code, GOOD_PASSWORD).await.expect_status(200)["access_token"].as_str().unwrap().to_owned()
}

async fn upload(app: &TestApp, token: &str) -> String {
    let url = app.url("/api/v1/files?purpose=officer_document&name=degree.pdf");
    let res = app
        .send(
            app.client
                .post(url)
                .bearer_auth(token)
                .header("content-type", "application/octet-stream")
                .body(PDF.to_vec()),
        )
        .await;
    res.expect_status(201)["id"].as_str().unwrap().to_owned()
}

/// A reviewer of the province, granted by the directorate.
async fn reviewer(app: &TestApp, province: &str, name: &str) -> Person {
    let r = person(app, name).await;
    let d = app.login(DIRECTORATE, "Anjoman-Demo-1403").await.expect_status(200)["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(&format!("/api/v1/provinces/{province}/reviewers"), Some(&d), &json!({"national_code": r.code}))
        .await
        .expect_status(204);
    Person { token: relogin(app, &r).await, ..r }
}

fn registration(docs: &[String], province: &str, city: &str) -> Value {
    json!({
        "birth_date": "1985-03-21", "father_name": "حسن", "gender": "female", "id_card_number": "1234",
        "address": "تهران، خیابان انقلاب، پلاک ۱۲", "province_id": province, "city_id": city,
        "field": "مهندسی پزشکی", "degree_level": "bachelor", "documents": docs,
    })
}

async fn me(app: &TestApp, token: &str) -> Value {
    app.get("/api/v1/officers/me", Some(token)).await.expect_status(200).clone()
}

async fn callback(url: &str) {
    let res = no_redirects().get(url).send().await.unwrap();
    assert_eq!(res.status(), 303, "{url}");
}

async fn act(app: &TestApp, token: &str, id: &str, what: &str, body: Value) -> Answer {
    app.post(&format!("/api/v1/officer-requests/{id}/{what}"), Some(token), &body).await
}

async fn an_officer_is_qualified_through_deficiencies_review_and_payment(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let provinces = app.get("/api/v1/provinces", None).await.expect_status(200).clone();
    let items = provinces["items"].as_array().unwrap();
    assert_eq!(items.len(), 31, "every province");
    assert!(
        items
            .iter()
            .all(|p| !p["university"].as_str().unwrap().is_empty() && !p["cities"].as_array().unwrap().is_empty())
    );
    let r1 = reviewer(&app, "tehran", "کارشناس۱").await;
    let r2 = reviewer(&app, "tehran", "کارشناس۲").await;
    let far = reviewer(&app, "isfahan", "کارشناس‌اصفهان").await;

    // TO-01: registration once, with an allowed field and degree, documents, a city of the province.
    let o = person(&app, "مریم").await;
    let doc = upload(&app, &o.token).await;
    let officers_before = app.count("officers");
    let mut no_degree = registration(std::slice::from_ref(&doc), "tehran", "tehran-1");
    no_degree["field"] = json!("فلسفه");
    let refused = app.post("/api/v1/officers", Some(&o.token), &no_degree).await;
    assert!(refused.expect_error(400, "validation_failed")["fields"]["field"].is_array());
    let wrong_city = registration(std::slice::from_ref(&doc), "tehran", "isfahan-1");
    app.post("/api/v1/officers", Some(&o.token), &wrong_city).await.expect_error(400, "validation_failed");
    app.post("/api/v1/officers", Some(&o.token), &registration(&[], "tehran", "tehran-1"))
        .await
        .expect_error(400, "validation_failed");
    let stranger_doc = upload(&app, &r1.token).await;
    app.post("/api/v1/officers", Some(&o.token), &registration(&[stranger_doc], "tehran", "tehran-1"))
        .await
        .expect_error(400, "validation_failed");
    assert_eq!(app.count("officers"), officers_before, "nothing stored by refusals");
    app.post("/api/v1/officers", Some(&o.token), &registration(std::slice::from_ref(&doc), "tehran", "tehran-1"))
        .await
        .expect_status(201);
    app.post("/api/v1/officers", Some(&o.token), &registration(std::slice::from_ref(&doc), "tehran", "tehran-1"))
        .await
        .expect_error(409, "already_registered");
    let token = relogin(&app, &o).await;

    // TO-06: the field rules.
    let amend_only = app.patch("/api/v1/officers/me", Some(&token), &json!({"last_name": "دیگر", "field": "x"})).await;
    let f = amend_only.expect_error(400, "validation_failed")["fields"].clone();
    assert!(f["last_name"].is_array() && f["field"].is_array(), "{f}");
    app.patch("/api/v1/officers/me", Some(&token), &json!({"birth_date": "1990-01-01"}))
        .await
        .expect_error(400, "validation_failed");
    let edited = app
        .patch(
            "/api/v1/officers/me",
            Some(&token),
            &json!({"address": "تهران، خیابان آزادی، پلاک ۸", "father_name": "حسین"}),
        )
        .await;
    assert_eq!(edited.expect_status(200)["father_name"], "حسین");

    // TO-02: the qualification request goes to Tehran's university.
    let submitted = app.post("/api/v1/officers/me/requests", Some(&token), &json!({"kind": "qualification"})).await;
    let current = submitted.expect_status(201)["current_request"].clone();
    let id = current["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (current["status"].clone(), current["university"].clone()),
        (json!("submitted"), json!("دانشگاه علوم پزشکی تهران"))
    );
    app.patch("/api/v1/officers/me", Some(&token), &json!({"address": "تهران، خیابان ولیعصر، پلاک ۳"}))
        .await
        .expect_error(409, "request_in_progress");
    app.post("/api/v1/officers/me/requests", Some(&token), &json!({"kind": "qualification"}))
        .await
        .expect_error(409, "request_in_progress");

    // TO-03: another province's reviewer gets 403; deficiencies go back to the same reviewer.
    app.get(&format!("/api/v1/officer-requests/{id}"), Some(&far.token)).await.expect_error(403, "forbidden");
    act(&app, &far.token, &id, "approve", json!({})).await.expect_error(403, "forbidden");
    let queue = app.get("/api/v1/officer-requests?filter=new", Some(&r2.token)).await;
    assert!(queue.expect_status(200)["items"].as_array().unwrap().iter().any(|x| x["id"] == id.as_str()));
    act(&app, &r1.token, &id, "deficiencies", json!({"items": []})).await.expect_error(400, "validation_failed");
    let deficient = act(&app, &r1.token, &id, "deficiencies", json!({"items": ["تصویر کارت ملی خوانا نیست"]})).await;
    assert_eq!(deficient.expect_status(200)["request"]["status"], "deficient");
    act(&app, &r1.token, &id, "approve", json!({})).await.expect_error(409, "illegal_transition");
    let mine = me(&app, &token).await;
    assert_eq!(mine["current_request"]["deficiencies"], json!(["تصویر کارت ملی خوانا نیست"]));
    let fixed_doc = upload(&app, &token).await;
    let back = app
        .post(
            &format!("/api/v1/officer-requests/{id}/resubmit"),
            Some(&token),
            &json!({"documents": [fixed_doc], "note": "تصویر تازه"}),
        )
        .await;
    assert_eq!(back.expect_status(200)["current_request"]["status"], "resubmitted");
    act(&app, &r2.token, &id, "approve", json!({})).await.expect_error(403, "assigned_to_another_reviewer");
    let r2_returned = app.get("/api/v1/officer-requests?filter=returned", Some(&r2.token)).await;
    assert!(r2_returned.expect_status(200)["items"].as_array().unwrap().is_empty(), "not in another reviewer's queue");
    let r1_returned = app.get("/api/v1/officer-requests?filter=returned", Some(&r1.token)).await;
    assert!(r1_returned.expect_status(200)["items"].as_array().unwrap().iter().any(|x| x["id"] == id.as_str()));

    // TO-04: approval shows the fee; the qualification takes effect when the payment is verified, once.
    let approved = act(&app, &r1.token, &id, "approve", json!({})).await;
    let request = approved.expect_status(200)["request"].clone();
    assert_eq!(
        (request["status"].clone(), request["fee_rials"].clone()),
        (json!("awaiting_payment"), json!(5_000_000))
    );
    assert!(me(&app, &token).await["qualified_at"].is_null(), "not before the payment");
    let invoice = request["invoice_id"].as_str().unwrap().to_owned();
    // The directorate's systems hear of the qualification, once, with a key to check it.
    let directorate = app.login(DIRECTORATE, "Anjoman-Demo-1403").await.expect_status(200)["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let hook = anjoman_tests::fakes::WebhookReceiver::start(0).await;
    let subscription = json!({"owner": "directorate", "url": hook.url(), "events": ["qualification.approved"]});
    app.post("/api/v1/integrations/webhooks", Some(&directorate), &subscription).await.expect_status(201);
    let url = pay_in_sandbox(&app, &token, &invoice).await;
    futures_util::future::join_all((0..5).map(|_| callback(&url))).await;
    callback(&url).await;
    let heard = hook.wait_for_calls(1, std::time::Duration::from_secs(15)).await;
    let event: Value = serde_json::from_str(&heard[0].body).unwrap();
    assert_eq!(
        (event["type"].as_str(), event["data"]["national_code"].as_str()),
        (Some("qualification.approved"), Some(o.code.as_str()))
    );
    let key = app
        .post(
            "/api/v1/integrations/keys",
            Some(&directorate),
            &json!({"name": "Hospital", "owner": "directorate", "scopes": ["officers:verify"], "expires_on": (chrono::Utc::now().date_naive() + chrono::Duration::days(9)).to_string()}),
        )
        .await
        .expect_status(201)["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let check = app
        .send(
            app.client
                .get(app.url(&format!(
                    "/api/v1/integrations/officers/verify?national_code={}",
                    event["data"]["national_code"].as_str().unwrap()
                )))
                .header("X-Api-Key", &key),
        )
        .await;
    assert_eq!((&check.expect_status(200)["qualified"], &check.body["field"]), (&json!(true), &event["data"]["field"]));
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_eq!(hook.calls.lock().unwrap().len(), 1, "six callbacks, one event");
    let done = me(&app, &token).await;
    assert!(done["qualified_at"].is_string() && done["current_request"].is_null(), "{done}");
    let history = done["history"].as_array().unwrap();
    assert_eq!(history[0]["status"], "completed");
    let statuses: Vec<&str> =
        history[0]["events"].as_array().unwrap().iter().map(|e| e["to_status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["submitted", "deficient", "resubmitted", "awaiting_payment", "completed"], "paid once");
    assert_eq!(app.count("audit_log WHERE action = 'officer_request.completed'"), 1);

    // TO-05: an amendment (a new surname), reviewed the same way; the data changes only when paid.
    app.post("/api/v1/officers/me/requests", Some(&token), &json!({"kind": "qualification"}))
        .await
        .expect_error(409, "already_qualified");
    app.post("/api/v1/officers/me/requests", Some(&token), &json!({"kind": "amendment", "changes": {}}))
        .await
        .expect_error(400, "validation_failed");
    let amended = app
        .post(
            "/api/v1/officers/me/requests",
            Some(&token),
            &json!({"kind": "amendment", "changes": {"last_name": "رضایی"}}),
        )
        .await;
    let a = amended.expect_status(201)["current_request"].clone();
    assert_eq!((a["kind"].clone(), a["previous"]["last_name"].clone()), (json!("amendment"), json!("آزمون")));
    let aid = a["id"].as_str().unwrap();
    let approved = act(&app, &r2.token, aid, "approve", json!({})).await;
    let invoice = approved.expect_status(200)["request"]["invoice_id"].as_str().unwrap().to_owned();
    assert_eq!(me(&app, &token).await["last_name"], "آزمون", "unchanged until paid");
    callback(&pay_in_sandbox(&app, &token, &invoice).await).await;
    let after = me(&app, &token).await;
    assert_eq!(after["last_name"], "رضایی");
    assert_eq!(after["history"][0]["changes"]["last_name"], "رضایی");
    assert_eq!(after["history"][0]["previous"]["last_name"], "آزمون", "the history keeps both");

    // The directorate sees every province.
    let d = app.login(DIRECTORATE, "Anjoman-Demo-1403").await.expect_status(200)["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let all = app.get("/api/v1/officer-requests?filter=decided", Some(&d)).await;
    assert!(all.expect_status(200)["items"].as_array().unwrap().len() >= 2);
    app.get("/api/v1/officer-requests", Some(&token)).await.expect_error(403, "forbidden");
}

async fn a_rejected_officer_may_ask_again_elsewhere(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let tehran = reviewer(&app, "tehran", "کارشناس").await;
    let isfahan = reviewer(&app, "isfahan", "کارشناس‌اصفهان").await;
    let o = person(&app, "علی").await;
    let doc = upload(&app, &o.token).await;
    app.post("/api/v1/officers", Some(&o.token), &registration(&[doc], "tehran", "tehran-2")).await.expect_status(201);
    let first = app.post("/api/v1/officers/me/requests", Some(&o.token), &json!({"kind": "qualification"})).await;
    let id = first.expect_status(201)["current_request"]["id"].as_str().unwrap().to_owned();
    act(&app, &tehran.token, &id, "reject", json!({"reason": " "})).await.expect_error(400, "validation_failed");
    let rejected = act(&app, &tehran.token, &id, "reject", json!({"reason": "محل کار در استان اصفهان است"})).await;
    assert_eq!(rejected.expect_status(200)["request"]["reason"], "محل کار در استان اصفهان است");
    act(&app, &tehran.token, &id, "approve", json!({})).await.expect_error(409, "illegal_transition");
    // A new request, to Isfahan this time: in Isfahan's queue, not Tehran's.
    let again = app
        .post(
            "/api/v1/officers/me/requests",
            Some(&o.token),
            &json!({"kind": "qualification", "province_id": "isfahan", "city_id": "isfahan-2"}),
        )
        .await;
    let second = again.expect_status(201)["current_request"]["id"].as_str().unwrap().to_owned();
    let q = app.get("/api/v1/officer-requests?filter=new", Some(&isfahan.token)).await;
    assert!(q.expect_status(200)["items"].as_array().unwrap().iter().any(|x| x["id"] == second.as_str()));
    let q = app.get("/api/v1/officer-requests?filter=new", Some(&tehran.token)).await;
    assert!(!q.expect_status(200)["items"].as_array().unwrap().iter().any(|x| x["id"] == second.as_str()));
    assert_eq!(me(&app, &o.token).await["province_id"], "isfahan");
    app.get("/api/v1/officer-requests?filter=nonsense", Some(&isfahan.token))
        .await
        .expect_error(400, "validation_failed");
    // Notifications went through the outbox.
    assert!(app.count("outbox_messages WHERE purpose = 'officer_request'") >= 2);
}

/// A qualified officer, straight through (registration, request, approval, payment).
async fn qualified_officer(app: &TestApp, reviewer: &Person, name: &str) -> Person {
    let o = person(app, name).await;
    let doc = upload(app, &o.token).await;
    app.post("/api/v1/officers", Some(&o.token), &registration(&[doc], "tehran", "tehran-1")).await.expect_status(201);
    let r = app.post("/api/v1/officers/me/requests", Some(&o.token), &json!({"kind": "qualification"})).await;
    let id = r.expect_status(201)["current_request"]["id"].as_str().unwrap().to_owned();
    let a = act(app, &reviewer.token, &id, "approve", json!({})).await;
    let invoice = a.expect_status(200)["request"]["invoice_id"].as_str().unwrap().to_owned();
    callback(&pay_in_sandbox(app, &o.token, &invoice).await).await;
    Person { token: relogin(app, &o).await, ..o }
}

async fn a_distributor_names_an_officer_who_accepts_and_later_ends_it(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let reviewer = reviewer(&app, "tehran", "کارشناس").await;
    let far = reviewer_of(&app, "fars").await;
    let officer = qualified_officer(&app, &reviewer, "رضا").await;
    let other = qualified_officer(&app, &reviewer, "سمیرا").await;
    let unqualified = person(&app, "تازه").await;
    let doc = upload(&app, &unqualified.token).await;
    app.post("/api/v1/officers", Some(&unqualified.token), &registration(&[doc], "tehran", "tehran-1"))
        .await
        .expect_status(201);

    // DI-01: the directorate registers the distributor with its manager and central branch.
    let manager = person(&app, "مدیرشرکت").await;
    let d = app.login(DIRECTORATE, "Anjoman-Demo-1403").await.expect_status(200)["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = json!({"name": "شرکت تجهیزات پزشکی آزمون", "kind": "company", "manager_national_code": manager.code,
        "central": {"name": "دفتر مرکزی", "province_id": "tehran", "city_id": "tehran-1", "address": "تهران، خیابان مطهری، پلاک ۵"}});
    app.post("/api/v1/distributors", Some(&manager.token), &body).await.expect_error(403, "forbidden");
    let created = app.post("/api/v1/distributors", Some(&d), &body).await;
    let dist = created.expect_status(201).clone();
    let id = dist["id"].as_str().unwrap().to_owned();
    let central = dist["branches"][0]["id"].as_str().unwrap().to_owned();
    let manager = Person { token: relogin(&app, &manager).await, ..manager };

    // TO-08: only a qualified officer, not one bound elsewhere.
    let name = |code: &str| json!({"national_code": code});
    let url = format!("/api/v1/branches/{central}/officer");
    app.post(&url, Some(&manager.token), &name(&unqualified.code)).await.expect_error(409, "officer_not_qualified");
    app.post(&url, Some(&manager.token), &name("1234567890")).await.expect_error(400, "validation_failed");
    app.post(&url, Some(&officer.token), &name(&officer.code)).await.expect_error(403, "forbidden");
    app.post(&url, Some(&manager.token), &name(&officer.code)).await.expect_status(200);
    app.post(&url, Some(&manager.token), &name(&other.code)).await.expect_error(409, "branch_taken");
    let branch = json!({"name": "شعبهٔ شیراز", "province_id": "fars", "city_id": "fars-1", "address": "شیراز، خیابان زند، پلاک ۲۰", "officer_national_code": officer.code});
    app.post(&format!("/api/v1/distributors/{id}/branches"), Some(&manager.token), &branch)
        .await
        .expect_error(409, "officer_already_bound");
    assert_eq!(app.count(&format!("branches WHERE distributor_id = '{id}'")), 1, "the refused branch was not kept");

    // DI-02: the officer sees the distributor's details and accepts; the university decides.
    let mine = app.get("/api/v1/officers/me/cooperations", Some(&officer.token)).await.expect_status(200).clone();
    let coop = mine["items"][0].clone();
    assert_eq!(
        (coop["status"].clone(), coop["distributor_name"].clone()),
        (json!("awaiting_officer"), json!("شرکت تجهیزات پزشکی آزمون"))
    );
    let cid = coop["id"].as_str().unwrap().to_owned();
    app.post(&format!("/api/v1/cooperations/{cid}/accept"), Some(&other.token), &json!({}))
        .await
        .expect_error(404, "not_found");
    app.post(&format!("/api/v1/cooperations/{cid}/approve"), Some(&reviewer.token), &json!({}))
        .await
        .expect_error(409, "illegal_transition");
    let accepted = app.post(&format!("/api/v1/cooperations/{cid}/accept"), Some(&officer.token), &json!({})).await;
    assert_eq!(accepted.expect_status(200)["status"], "awaiting_university");
    let queue = app.get("/api/v1/cooperation-reviews", Some(&reviewer.token)).await;
    assert!(queue.expect_status(200)["items"].as_array().unwrap().iter().any(|x| x["id"] == cid.as_str()));
    app.post(&format!("/api/v1/cooperations/{cid}/approve"), Some(&far.token), &json!({}))
        .await
        .expect_error(403, "forbidden");
    app.post(&format!("/api/v1/cooperations/{cid}/reject"), Some(&reviewer.token), &json!({}))
        .await
        .expect_error(400, "validation_failed");
    let approved = app.post(&format!("/api/v1/cooperations/{cid}/approve"), Some(&reviewer.token), &json!({})).await;
    assert_eq!(approved.expect_status(200)["branch"]["officer"]["national_code"], officer.code.as_str());

    // DI-04: the officer ends it: off the branch at once, the manager texted through the outbox.
    let before = app
        .count(&format!("outbox_messages WHERE purpose = 'cooperation' AND recipient = '0912{}'", &manager.code[..7]));
    let ended = app.post(&format!("/api/v1/cooperations/{cid}/terminate"), Some(&officer.token), &json!({})).await;
    assert_eq!(ended.expect_status(200)["status"], "terminated");
    let after = app
        .count(&format!("outbox_messages WHERE purpose = 'cooperation' AND recipient = '0912{}'", &manager.code[..7]));
    assert_eq!(after, before + 1, "the manager's SMS");
    let shown = app.get(&format!("/api/v1/distributors/{id}"), Some(&manager.token)).await.expect_status(200).clone();
    assert!(shown["branches"][0]["officer"].is_null());
    assert_eq!(shown["cooperations"][0]["status"], "terminated", "the archive keeps it");
    app.post(&format!("/api/v1/cooperations/{cid}/terminate"), Some(&officer.token), &json!({}))
        .await
        .expect_error(409, "illegal_transition");
    // Free again: another branch may name them; and a declined request goes back closed.
    app.post(&url, Some(&manager.token), &name(&officer.code)).await.expect_status(200);
    let again = app.get("/api/v1/officers/me/cooperations", Some(&officer.token)).await.expect_status(200)["items"][0]
        ["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let declined = app.post(&format!("/api/v1/cooperations/{again}/decline"), Some(&officer.token), &json!({})).await;
    assert_eq!(declined.expect_status(200)["status"], "declined");
    app.get(&format!("/api/v1/distributors/{id}"), Some(&other.token)).await.expect_error(403, "forbidden");
}

async fn reviewer_of(app: &TestApp, province: &str) -> Person {
    reviewer(app, province, "کارشناس دیگر").await
}

async fn the_directorate_writes_to_one_some_or_all_officers(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let reviewer = reviewer(&app, "tehran", "کارشناس").await;
    let tehran = qualified_officer(&app, &reviewer, "پرستو").await;
    let d = app.login(DIRECTORATE, "Anjoman-Demo-1403").await.expect_status(200)["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let boxes = app.get("/api/v1/mailboxes", Some(&d)).await.expect_status(200).clone();
    assert!(boxes["items"].as_array().unwrap().iter().any(|b| b["mailbox"] == "directorate"));
    let send = |body: Value| {
        let (app, d) = (&app, d.clone());
        async move { app.post("/api/v1/messages", Some(&d), &body).await }
    };
    let letter = |extra: Value| {
        let mut b = json!({"from": "directorate", "to": "officers", "subject": "بخشنامهٔ تازه", "body": "متن بخشنامه"});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    // Only the directorate writes from its mailbox, and only to officers.
    app.post("/api/v1/messages", Some(&tehran.token), &letter(json!({}))).await.expect_error(403, "forbidden");
    send(letter(json!({"to": "associations"}))).await.expect_error(400, "validation_failed");
    // One officer.
    let one = send(letter(json!({"officer_national_code": tehran.code}))).await;
    assert_eq!(one.expect_status(201)["audience"]["recipient_count"], 1);
    // Filtered: Tehran's qualified officers (the demo's and this one).
    let some = send(letter(json!({"province_id": "tehran", "qualified_only": true}))).await;
    let n = some.expect_status(201)["audience"]["recipient_count"].as_i64().unwrap();
    assert!(n >= 2, "{n}");
    let none = send(letter(json!({"province_id": "ilam"}))).await;
    none.expect_error(400, "validation_failed");
    // All officers.
    let all = send(letter(json!({}))).await;
    assert!(all.expect_status(201)["audience"]["recipient_count"].as_i64().unwrap() > n);
    // The officer reads them in their inbox.
    let inbox = app.get("/api/v1/mailboxes/me/messages", Some(&tehran.token)).await.expect_status(200).clone();
    let items = inbox["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "one, Tehran's qualified, all");
    assert!(items.iter().all(|m| m["sender"]["kind"] == "directorate"));
}

async fn import(app: &TestApp, token: &str, csv: &str, dry_run: bool) -> Answer {
    let url = app.url(&format!("/api/v1/officers/import?dry_run={dry_run}"));
    app.send(app.client.post(url).bearer_auth(token).header("content-type", "text/csv").body(csv.to_owned())).await
}

async fn existing_officers_and_their_distributors_are_imported_all_or_nothing(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let d = app.login(DIRECTORATE, "Anjoman-Demo-1403").await.expect_status(200)["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (a, b, manager) = (fresh_national_code(), fresh_national_code(), fresh_national_code());
    let heading = "کد ملی,نام,نام خانوادگی,تاریخ تولد,نام پدر,جنسیت,شماره شناسنامه,تلفن همراه,رایانامه,نشانی,استان,شهر,رشته,مقطع,توزیع کننده,نوع توزیع کننده,کد ملی مدیر";
    let good_a = format!(
        "{a},نیما,کاوسی,1984-02-11,رضا,مرد,5521,09351112233,,تهران، خیابان شریعتی، پلاک ۹,تهران,ری,مهندسی پزشکی,کارشناسی,شرکت آزمون طب,شرکت,{manager}"
    );
    let bad_b = format!("{b},شیرین,نامدار,1990-13-01,علی,زن,77,,,کوتاه,تهران,تبریز,فلسفه,کارشناسی,,,");
    let csv = format!("{heading}\n{good_a}\n{bad_b}\n");
    let officers_before = app.count("officers");
    import(&app, &tehran_token(&app).await, &csv, true).await.expect_error(403, "forbidden");
    let refused = import(&app, &d, &csv, false).await;
    let fields = refused.expect_error(400, "import_rejected")["fields"].clone();
    for column in ["birth_date", "address", "city", "field"] {
        assert!(fields[format!("rows[3].{column}")].is_array(), "{column}: {fields}");
    }
    assert!(fields.as_object().unwrap().keys().all(|k| k.starts_with("rows[3]")), "line 2 is fine: {fields}");
    assert_eq!(app.count("officers"), officers_before, "nothing imported");
    assert_eq!(app.count("distributors WHERE name = 'شرکت آزمون طب'"), 0);
    let too_large = import(&app, &d, &"x".repeat(4 * 1024 * 1024 + 1), false).await;
    assert!(
        too_large.expect_error(400, "import_too_large")["message"].as_str().unwrap().contains('۴'),
        "{}",
        too_large.body
    );
    assert_eq!(app.count("officers"), officers_before, "nothing imported");

    let good_b = format!(
        "{b},شیرین,نامدار,1990-12-01,علی,زن,77,,,تبریز، خیابان امام، پلاک ۳۳,آذربایجان شرقی,تبریز,مهندسی پزشکی,کارشناسی ارشد,شرکت آزمون طب,شرکت,{manager}"
    );
    let csv = format!("{heading}\n{good_a}\n{good_b}\n");
    let checked = import(&app, &d, &csv, true).await;
    assert_eq!((checked.expect_status(200)["rows"].clone(), checked.body["imported"].clone()), (json!(2), json!(0)));
    assert_eq!(app.count("officers"), officers_before, "a dry run imports nothing");
    let done = import(&app, &d, &csv, false).await;
    let report = done.expect_status(200).clone();
    assert_eq!(
        (report["imported"].clone(), report["new_accounts"].clone(), report["new_distributors"].clone()),
        (json!(2), json!(3), json!(1))
    );
    assert_eq!(app.count("officers"), officers_before + 2);
    // Qualified, bound to the distributor's branches; the second one to a new branch.
    assert!(app.count("officers WHERE qualified_at IS NOT NULL") >= 2);
    assert!(app.count("cooperations WHERE status = 'active'") >= 3);
    assert!(app.count("branches WHERE officer_id IS NOT NULL") >= 3);
    // Imported people have accounts whose password nobody knows (they use "forgot password").
    app.login(&a, GOOD_PASSWORD).await.expect_error(401, "invalid_credentials");
    app.post("/api/v1/auth/recovery/sms", None, &json!({"national_code": a})).await.expect_status(201);
    // A second import of the same officers is refused.
    let again = import(&app, &d, &csv, false).await;
    assert!(again.expect_error(400, "import_rejected")["fields"]["rows[2].national_code"].is_array());
}

async fn tehran_token(app: &TestApp) -> String {
    reviewer(app, "tehran", "کارشناس").await.token
}
