//! Ending things, with reasons and history (issue: run it from zero, point 4): a member leaves or
//! is removed (kept on an open election's frozen roll, on no roll frozen later); the directorate
//! suspends, reinstates or revokes a qualification (cooperations end, the manager is texted, the
//! officer can no longer be named or verified); and officers imported with their previous
//! system's bcrypt password hash sign in with their old password, re-hashed as argon2id; and
//! each authority reads its own part of the audit log (point 7); on both backends.

use anjoman_tests::{
    Answer, Backend, GOOD_PASSWORD, PDF, TestApp, fresh_national_code, on_both_backends, pay_in_sandbox,
};
use diesel::prelude::*;
use serde_json::{Value, json};

on_both_backends!(
    a_member_leaves_or_is_removed_with_reasons_and_history,
    the_directorate_suspends_reinstates_and_revokes_a_qualification,
    officers_imported_with_a_bcrypt_hash_sign_in_with_their_old_password,
    each_authority_reads_its_own_part_of_the_audit_log,
);

mod support;
use support::*;

const TICK: &[(&str, &str)] = &[("ANJOMAN_ELECTION_TICK_MS", "200")];
const DIRECTORATE: &str = "0499370899";
const DEMO: &str = "Anjoman-Demo-1403";

async fn token(app: &TestApp, code: &str) -> String {
    app.login(code, DEMO).await.expect_status(200)["access_token"].as_str().unwrap().to_owned()
}

/// A published election of the association with `candidate` standing, the admin its only
/// trustee, opening in `starts_in` seconds.
async fn published_election(app: &TestApp, aid: &str, admin: &Person, candidate: &Person, starts_in: i64) -> String {
    let body = json!({
        "title": format!("انتخابات {}", fresh_national_code()),
        "trustees": [admin.code], "trustee_threshold": 1,
        "starts_at": at(starts_in), "ends_at": at(starts_in + 600),
        "contests": [{"title": "هیئت‌مدیره", "seats": 1, "max_selections": 1}]
    });
    let created = app.post(&format!("/api/v1/associations/{aid}/elections"), Some(&admin.token), &body).await;
    let election = created.expect_status(201).clone();
    let id = election["id"].as_str().unwrap().to_owned();
    let contest = election["contests"][0]["id"].as_str().unwrap().to_owned();
    let cand = json!({"contest_id": contest, "national_code": candidate.code, "election_code": "11", "university": "دانشگاه تهران", "academic_rank": "استاد"});
    app.post(&format!("/api/v1/elections/{id}/candidates"), Some(&admin.token), &cand).await.expect_status(201);
    ceremony(app, &id, &[admin], 1).await;
    app.post(&format!("/api/v1/elections/{id}/publish"), Some(&admin.token), &json!({})).await.expect_status(200);
    id
}

async fn my_membership(app: &TestApp, who: &Person, aid: &str) -> Value {
    let mine = app.get("/api/v1/me/memberships", Some(&who.token)).await.expect_status(200).clone();
    mine["items"].as_array().unwrap().iter().find(|m| m["association_id"] == aid).cloned().expect("a membership")
}

async fn holds_member_role(app: &TestApp, who: &Person, aid: &str) -> bool {
    let me = app.get("/api/v1/me", Some(&who.token)).await.expect_status(200).clone();
    me["grants"].as_array().unwrap().iter().any(|g| g["role"] == "member" && g["scope_id"] == aid)
}

async fn vote_code(app: &TestApp, who: &Person, election: &str) -> Answer {
    app.post(&format!("/api/v1/elections/{election}/vote-code"), Some(&who.token), &json!({"channel": "email"})).await
}

async fn a_member_leaves_or_is_removed_with_reasons_and_history(backend: Backend) {
    let app = TestApp::spawn_with(backend, TICK, &["--demo"]).await;
    let commission = commission(&app).await;
    let hook = anjoman_tests::fakes::WebhookReceiver::start(0).await;
    let subscription = json!({"owner": "commission", "url": hook.url(), "events": ["membership.ended"]});
    app.post("/api/v1/integrations/webhooks", Some(&commission), &subscription).await.expect_status(201);
    let (aid, admin, members) = association(&app, "end-a", 3).await;
    let (removed, leaver, stays) = (&members[0], &members[1], &members[2]);
    let (other_assoc, other_admin, _) = association(&app, "end-b", 0).await;
    assert_ne!(other_assoc, aid);

    // An election opens with all three on its frozen roll.
    let open = published_election(&app, &aid, &admin, stays, 4).await;
    let opened = wait_for_status(&app, &open, "open").await;
    assert_eq!(opened["electorate"], 3);

    // The admin removes one member: a reason is required; only the association's admins may.
    let m = my_membership(&app, removed, &aid).await;
    let mid = m["id"].as_str().unwrap().to_owned();
    assert_eq!(m["status"], "approved");
    let end_url = format!("/api/v1/memberships/{mid}/end");
    let why = json!({"reason": "عدم پرداخت حق عضویت سه سال پیاپی"});
    app.post(&end_url, Some(&admin.token), &json!({})).await.expect_error(400, "validation_failed");
    app.post(&end_url, Some(&admin.token), &json!({"reason": "x".repeat(501)}))
        .await
        .expect_error(400, "validation_failed");
    app.post(&end_url, Some(&stays.token), &why).await.expect_error(403, "forbidden");
    app.post(&end_url, Some(&other_admin.token), &why).await.expect_error(403, "forbidden");
    app.post("/api/v1/memberships/no-such/end", Some(&admin.token), &why).await.expect_error(404, "not_found");
    assert!(holds_member_role(&app, removed, &aid).await, "nothing changed by the refusals");
    let texts_before = app.count("outbox_messages WHERE purpose = 'membership'");
    let ended = app.post(&end_url, Some(&admin.token), &why).await.expect_status(200).clone();
    assert_eq!(ended["membership"]["status"], "removed");
    assert!(ended["membership"]["ended_at"].is_string());
    assert_eq!(ended["kept_on_rolls"], json!([{"id": open, "title": opened["title"]}]), "the open roll keeps them");
    app.post(&end_url, Some(&admin.token), &why).await.expect_error(409, "not_a_member");
    assert!(app.count("outbox_messages WHERE purpose = 'membership'") > texts_before, "the person is told");
    // The member role is gone on their very next request, with the same token.
    assert!(!holds_member_role(&app, removed, &aid).await);
    assert_eq!(my_membership(&app, removed, &aid).await["status"], "removed");
    // Still on the open election's frozen roll: they may vote there.
    vote_code(&app, removed, &open).await.expect_status(201);

    // A member leaves on their own; nobody else can leave for them.
    let lid = my_membership(&app, leaver, &aid).await["id"].as_str().unwrap().to_owned();
    let leave_url = format!("/api/v1/me/memberships/{lid}/leave");
    app.post(&leave_url, Some(&stays.token), &json!({})).await.expect_error(404, "not_found");
    app.post(&leave_url, Some(&admin.token), &json!({})).await.expect_error(404, "not_found");
    let left = app.post(&leave_url, Some(&leaver.token), &json!({"reason": "مهاجرت"})).await.expect_status(200).clone();
    assert_eq!(left["membership"]["status"], "left");
    app.post(&leave_url, Some(&leaver.token), &json!({})).await.expect_error(409, "not_a_member");
    assert!(!holds_member_role(&app, leaver, &aid).await);
    assert!(holds_member_role(&app, stays, &aid).await, "the others keep theirs");
    // The admins' list shows who left and who was removed.
    let list = app.get(&format!("/api/v1/associations/{aid}/members?status=removed"), Some(&admin.token)).await;
    let codes: Vec<&str> = list.expect_status(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["national_code"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(codes, [removed.code.as_str()], "{}", list.body);

    // History, oldest first, with the reasons and who acted; the member and the admins see it.
    let history_url = format!("/api/v1/memberships/{mid}/history");
    let history = app.get(&history_url, Some(&admin.token)).await.expect_status(200).clone();
    let steps = history["items"].as_array().unwrap();
    assert_eq!(steps.first().unwrap()["status"], "approved", "{history}");
    let last = steps.last().unwrap();
    assert_eq!((last["status"].clone(), last["reason"].clone()), (json!("removed"), why["reason"].clone()));
    assert_eq!(last["by"], "مدیر آزمون");
    app.get(&history_url, Some(&removed.token)).await.expect_status(200);
    app.get(&history_url, Some(&stays.token)).await.expect_error(403, "forbidden");
    app.get(&history_url, Some(&other_admin.token)).await.expect_error(403, "forbidden");
    let actions = audit_actions(&app, &commission, &mid).await;
    assert!(actions.contains(&"membership.removed".to_owned()), "{actions:?}");
    let lactions = audit_actions(&app, &commission, &lid).await;
    assert!(lactions.contains(&"membership.left".to_owned()), "{lactions:?}");
    // One `membership.ended` webhook each, queued through the outbox.
    assert_eq!(app.count("outbox_messages WHERE channel = 'webhook' AND body LIKE '%membership.ended%'"), 2);

    // A roll frozen from now on leaves both out.
    let later = published_election(&app, &aid, &admin, stays, 4).await;
    let later_open = wait_for_status(&app, &later, "open").await;
    assert_eq!(later_open["electorate"], 1);
    for who in [removed, leaver] {
        vote_code(&app, who, &later).await.expect_error(403, "not_on_roll");
    }
    vote_code(&app, stays, &later).await.expect_status(201);

    // They may be registered again: a new approved membership and the role back.
    approve(&app, &aid, &admin, removed).await;
    assert_eq!(my_membership(&app, removed, &aid).await["status"], "approved");
    assert!(holds_member_role(&app, removed, &aid).await);
}

// ---- qualifications -------------------------------------------------------------------------

async fn register_officer(app: &TestApp, who: &Person) {
    let url = app.url("/api/v1/files?purpose=officer_document&name=degree.pdf");
    let up = app
        .send(
            app.client
                .post(url)
                .bearer_auth(&who.token)
                .header("content-type", "application/octet-stream")
                .body(PDF.to_vec()),
        )
        .await;
    let doc = up.expect_status(201)["id"].as_str().unwrap().to_owned();
    let body = json!({
        "birth_date": "1985-03-21", "father_name": "حسن", "gender": "female", "id_card_number": "1234",
        "address": "تهران، خیابان انقلاب، پلاک ۱۲", "province_id": "tehran", "city_id": "tehran-1",
        "field": "مهندسی پزشکی", "degree_level": "bachelor", "documents": [doc],
    });
    app.post("/api/v1/officers", Some(&who.token), &body).await.expect_status(201);
}

async fn relogin(app: &TestApp, p: &Person) -> Person {
    let token = app.login(&p.code, GOOD_PASSWORD).await.expect_status(200)["access_token"].as_str().unwrap().to_owned();
    Person { token, code: p.code.clone(), email: p.email.clone(), mobile: p.mobile.clone() }
}

async fn qualified(app: &TestApp, reviewer: &Person, name: &str) -> Person {
    let o = person(app, name).await;
    register_officer(app, &o).await;
    let r = app.post("/api/v1/officers/me/requests", Some(&o.token), &json!({"kind": "qualification"})).await;
    let id = r.expect_status(201)["current_request"]["id"].as_str().unwrap().to_owned();
    let a = app.post(&format!("/api/v1/officer-requests/{id}/approve"), Some(&reviewer.token), &json!({})).await;
    let invoice = a.expect_status(200)["request"]["invoice_id"].as_str().unwrap().to_owned();
    let back = pay_in_sandbox(app, &o.token, &invoice).await;
    assert_eq!(anjoman_tests::no_redirects().get(&back).send().await.unwrap().status(), 303);
    relogin(app, &o).await
}

/// A distributor with `manager` and its central branch; returns (distributor, central branch).
async fn distributor(app: &TestApp, directorate: &str, manager: &Person) -> (String, String) {
    let body = json!({"name": format!("شرکت {}", fresh_national_code()), "kind": "company", "manager_national_code": manager.code,
        "central": {"name": "دفتر مرکزی", "province_id": "tehran", "city_id": "tehran-1", "address": "تهران، خیابان مطهری، پلاک ۵"}});
    let dist = app.post("/api/v1/distributors", Some(directorate), &body).await.expect_status(201).clone();
    (dist["id"].as_str().unwrap().to_owned(), dist["branches"][0]["id"].as_str().unwrap().to_owned())
}

/// Names `officer` at `branch`; they accept and the reviewer approves.
async fn bind(app: &TestApp, manager: &Person, reviewer: &Person, officer: &Person, branch: &str) {
    let url = format!("/api/v1/branches/{branch}/officer");
    app.post(&url, Some(&manager.token), &json!({"national_code": officer.code})).await.expect_status(200);
    let mine = app.get("/api/v1/officers/me/cooperations", Some(&officer.token)).await.expect_status(200).clone();
    let cid = mine["items"][0]["id"].as_str().unwrap().to_owned();
    app.post(&format!("/api/v1/cooperations/{cid}/accept"), Some(&officer.token), &json!({})).await.expect_status(200);
    app.post(&format!("/api/v1/cooperations/{cid}/approve"), Some(&reviewer.token), &json!({}))
        .await
        .expect_status(200);
}

async fn verify(app: &TestApp, key: &str, code: &str) -> Value {
    let url = app.url(&format!("/api/v1/integrations/officers/verify?national_code={code}"));
    app.send(app.client.get(url).header("X-Api-Key", key)).await.expect_status(200).clone()
}

async fn the_directorate_suspends_reinstates_and_revokes_a_qualification(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let d = token(&app, DIRECTORATE).await;
    let reviewer = person(&app, "کارشناس").await;
    app.post("/api/v1/provinces/tehran/reviewers", Some(&d), &json!({"national_code": reviewer.code}))
        .await
        .expect_status(204);
    let reviewer = relogin(&app, &reviewer).await;
    let officer = qualified(&app, &reviewer, "رضا").await;
    let manager = person(&app, "مدیرشرکت").await;
    let (dist, central) = distributor(&app, &d, &manager).await;
    let manager = relogin(&app, &manager).await;
    bind(&app, &manager, &reviewer, &officer, &central).await;
    let expires = (chrono::Utc::now().date_naive() + chrono::Duration::days(9)).to_string();
    let key = json!({"name": "Customs", "owner": "directorate", "scopes": ["officers:verify"], "expires_on": expires});
    let key = app.post("/api/v1/integrations/keys", Some(&d), &key).await.expect_status(201)["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let checked = verify(&app, &key, &officer.code).await;
    assert_eq!((checked["qualified"].clone(), checked["standing"].clone()), (json!(true), json!("active")));

    // The register: the directorate searches every province; the province's reviewer theirs.
    let list = app.get(&format!("/api/v1/qualified-officers?q={}", officer.code), Some(&d)).await;
    let items = list.expect_status(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!((items[0]["person_id"].is_string(), items[0]["standing"].clone()), (true, json!("active")));
    let oid = items[0]["person_id"].as_str().unwrap().to_owned();
    let r = app.get("/api/v1/qualified-officers?q=رضا", Some(&reviewer.token)).await;
    assert!(r.expect_status(200)["items"].as_array().unwrap().iter().any(|x| x["person_id"] == oid.as_str()));
    app.get("/api/v1/qualified-officers", Some(&officer.token)).await.expect_error(403, "forbidden");
    app.get("/api/v1/qualified-officers?standing=lost", Some(&d)).await.expect_error(400, "validation_failed");

    // Only the directorate changes it, and only with a reason.
    let url = format!("/api/v1/qualified-officers/{oid}/standing");
    let suspend = json!({"action": "suspend", "reason": "شکایت دربارهٔ نگهداری تجهیزات"});
    for t in [&reviewer.token, &manager.token, &officer.token] {
        app.post(&url, Some(t), &suspend).await.expect_error(403, "forbidden");
    }
    app.post(&url, Some(&d), &json!({"action": "suspend", "reason": "x"})).await.expect_error(400, "validation_failed");
    app.post(&url, Some(&d), &json!({"action": "expire", "reason": "بی‌دلیل"})).await.expect_status(400);
    app.post(&url, Some(&d), &json!({"action": "reinstate", "reason": "هنوز فعال است"}))
        .await
        .expect_error(409, "illegal_transition");
    app.post("/api/v1/qualified-officers/nobody/standing", Some(&d), &suspend).await.expect_error(404, "not_found");
    assert_eq!(app.count(&format!("cooperations WHERE officer_id = '{oid}' AND status = 'active'")), 1);

    // Suspension: the cooperation ends, the branch is free, the manager is texted.
    let sms = format!(
        "outbox_messages WHERE channel = 'sms' AND purpose = 'cooperation' AND recipient = '{}'",
        manager.mobile
    );
    let texts = app.count(&sms);
    let done = app.post(&url, Some(&d), &suspend).await.expect_status(200).clone();
    assert_eq!(
        (done["officer"]["standing"].clone(), done["cooperations_ended"].clone()),
        (json!("suspended"), json!(1))
    );
    assert_eq!(app.count(&sms), texts + 1, "the manager's SMS");
    assert_eq!(app.count(&format!("cooperations WHERE officer_id = '{oid}' AND status = 'active'")), 0);
    let shown = app.get(&format!("/api/v1/distributors/{dist}"), Some(&manager.token)).await.expect_status(200).clone();
    assert!(shown["branches"][0]["officer"].is_null(), "{shown}");
    // They can no longer be named, nor verified as qualified, nor ask for an amendment.
    app.post(
        &format!("/api/v1/branches/{central}/officer"),
        Some(&manager.token),
        &json!({"national_code": officer.code}),
    )
    .await
    .expect_error(409, "officer_not_qualified");
    let checked = verify(&app, &key, &officer.code).await;
    assert_eq!((checked["qualified"].clone(), checked["standing"].clone()), (json!(false), json!("suspended")));
    app.post("/api/v1/officers/me/requests", Some(&officer.token), &json!({"kind": "amendment"}))
        .await
        .expect_error(409, "qualification_suspended");
    let suspended = app.get("/api/v1/qualified-officers?standing=suspended", Some(&d)).await;
    assert!(suspended.expect_status(200)["items"].as_array().unwrap().iter().any(|x| x["person_id"] == oid.as_str()));
    let active = app.get("/api/v1/qualified-officers?standing=active", Some(&d)).await;
    assert!(!active.expect_status(200)["items"].as_array().unwrap().iter().any(|x| x["person_id"] == oid.as_str()));

    // Reinstated: may be named again.
    let back = app.post(&url, Some(&d), &json!({"action": "reinstate", "reason": "رسیدگی شد و شکایت وارد نبود"})).await;
    assert_eq!(back.expect_status(200)["officer"]["standing"], "active");
    assert_eq!(verify(&app, &key, &officer.code).await["qualified"], true);
    bind(&app, &manager, &reviewer, &officer, &central).await;

    // Revoked: final; cooperations end again; a webhook per change that ends one.
    let revoked = app.post(&url, Some(&d), &json!({"action": "revoke", "reason": "تخلف تکراری"})).await;
    assert_eq!(revoked.expect_status(200)["cooperations_ended"], 1);
    for action in ["reinstate", "suspend", "revoke"] {
        app.post(&url, Some(&d), &json!({"action": action, "reason": "دوباره"}))
            .await
            .expect_error(409, "illegal_transition");
    }
    let history = app.get(&format!("/api/v1/qualified-officers/{oid}"), Some(&officer.token)).await;
    let steps: Vec<String> = history.expect_status(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["standing"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(steps, ["suspended", "active", "revoked"]);
    let actions = audit_actions(&app, &d, &oid).await;
    for a in ["qualification.suspended", "qualification.reinstated", "qualification.revoked"] {
        assert!(actions.contains(&a.to_owned()), "{a} in {actions:?}");
    }
    assert!(app.count("outbox_messages WHERE purpose = 'officer_standing'") >= 3, "the officer is told each time");
}

// ---- imported password hashes ---------------------------------------------------------------

fn hash_of(app: &TestApp, code: &str) -> String {
    use anjoman_core::db::schema::{accounts as ac, persons as p};
    let mut conn = app.db.connect();
    ac::table
        .inner_join(p::table.on(p::id.eq(ac::person_id)))
        .filter(p::national_code.eq(code))
        .select(ac::password_hash)
        .first(&mut conn)
        .unwrap()
}

async fn officers_imported_with_a_bcrypt_hash_sign_in_with_their_old_password(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let d = token(&app, DIRECTORATE).await;
    let (a, b) = (fresh_national_code(), fresh_national_code());
    let old = bcrypt::hash_with_result("Old-System-Pass-9", 4).unwrap().format_for_version(bcrypt::Version::TwoY);
    let heading = "national_code,first_name,last_name,birth_date,father_name,gender,id_card_number,mobile,email,address,province,city,field,degree_level,password_hash";
    let row = |code: &str, hash: &str| {
        format!(
            "{code},نیما,کاوسی,1984-02-11,رضا,مرد,5521,,,تهران، خیابان شریعتی، پلاک ۹,تهران,ری,مهندسی پزشکی,کارشناسی,{hash}"
        )
    };
    let send = |csv: String| {
        let (app, d) = (&app, d.clone());
        async move {
            let url = app.url("/api/v1/officers/import");
            app.send(app.client.post(url).bearer_auth(d).header("content-type", "text/csv").body(csv)).await
        }
    };
    // A hash that is not bcrypt or argon2, or whose cost would slow every login, is refused.
    let slow = old.replacen("$04$", "$20$", 1);
    for bad in ["plain-text-password", slow.as_str(), "$pbkdf2-sha256$i=1000$c2FsdA$aGFzaA"] {
        let refused = send(format!("{heading}\n{}\n", row(&a, bad))).await;
        assert!(refused.expect_error(400, "import_rejected")["fields"]["rows[2].password_hash"].is_array(), "{bad}");
    }
    assert_eq!(app.count(&format!("persons WHERE national_code = '{a}'")), 0, "nothing imported");
    let done = send(format!("{heading}\n{}\n{}\n", row(&a, &old), row(&b, ""))).await;
    assert_eq!(done.expect_status(200)["new_accounts"], 2);
    assert_eq!(hash_of(&app, &a), old, "carried over as it was");

    app.login(&a, "Wrong-Pass-12345").await.expect_error(401, "invalid_credentials");
    let signed = app.login(&a, "Old-System-Pass-9").await;
    signed.expect_status(200);
    let now = hash_of(&app, &a);
    assert!(now.starts_with("$argon2id$"), "re-hashed at the first login: {now}");
    app.login(&a, "Old-System-Pass-9").await.expect_status(200);
    let admin = commission(&app).await;
    let pid = app.get("/api/v1/me", Some(signed.body["access_token"].as_str().unwrap())).await.expect_status(200)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let actions = audit_actions(&app, &admin, &pid).await;
    assert_eq!(actions.iter().filter(|x| *x == "auth.password_rehashed").count(), 1, "{actions:?}");
    // Without a hash the account's password is random: recovery, as before.
    app.login(&b, "Old-System-Pass-9").await.expect_error(401, "invalid_credentials");
    assert!(hash_of(&app, &b).starts_with("$argon2id$"));
}

// ---- the audit log by scope -----------------------------------------------------------------

async fn log(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let page = app.get(&format!("/api/v1/audit-log?per_page=100&{query}"), Some(token)).await;
    page.expect_status(200)["items"].as_array().unwrap().clone()
}

/// The admin removes `who` from `aid`; returns the membership.
async fn remove(app: &TestApp, who: &Person, admin: &Person, aid: &str) -> String {
    let mid = my_membership(app, who, aid).await["id"].as_str().unwrap().to_owned();
    let body = json!({"reason": "پایان دورهٔ عضویت"});
    app.post(&format!("/api/v1/memberships/{mid}/end"), Some(&admin.token), &body).await.expect_status(200);
    mid
}

async fn each_authority_reads_its_own_part_of_the_audit_log(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let commission = commission(&app).await;
    let d = token(&app, DIRECTORATE).await;
    let tehran = token(&app, "0091234565").await;
    let (a, admin_a, members_a) = association(&app, "audit-a", 1).await;
    let (b, admin_b, members_b) = association(&app, "audit-b", 1).await;
    let (ma, mb) = (remove(&app, &members_a[0], &admin_a, &a).await, remove(&app, &members_b[0], &admin_b, &b).await);
    let reviewer = person(&app, "بازبین").await;
    app.post("/api/v1/provinces/fars/reviewers", Some(&d), &json!({"national_code": reviewer.code}))
        .await
        .expect_status(204);
    let settings = json!({"name": "سازمان نظام مهندسی ساختمان استان تهران", "renewal_window_days": 45, "annual_fee_rials": 12_000_000, "renewal_years": 1});
    app.put("/api/v1/engineering/provinces/tehran", Some(&tehran), &settings).await.expect_status(200);

    // Each association's admins read their association's entries, and only those.
    let mine = log(&app, &admin_a.token, "").await;
    assert!(mine.iter().any(|e| e["object_id"] == ma.as_str() && e["action"] == "membership.removed"));
    assert!(mine.iter().all(|e| e["scope"] == format!("association:{a}")), "{mine:?}");
    assert!(log(&app, &admin_a.token, &format!("object_id={mb}")).await.is_empty(), "not the other association's");
    assert!(mine.iter().any(|e| e["action"] == "role.granted"), "the grant of its admin is the association's");
    // The directorate: its domain (the reviewer's grant), no membership.
    let theirs = log(&app, &d, "").await;
    assert!(theirs.iter().all(|e| e["scope"] == "directorate"), "{theirs:?}");
    assert!(theirs.iter().any(|e| e["action"] == "role.granted"));
    assert!(log(&app, &d, &format!("object_id={ma}")).await.is_empty());
    // Tehran's engineering admins: their province's.
    let province = log(&app, &tehran, "").await;
    assert!(province.iter().any(|e| e["action"] == "engineering.org_updated"), "{province:?}");
    assert!(province.iter().all(|e| e["scope"] == "engineering:tehran"), "{province:?}");
    // The commission reads everything, sign-ins included; the chain still verifies.
    let all = log(&app, &commission, "action=membership.removed").await;
    assert!([&ma, &mb].iter().all(|m| all.iter().any(|e| e["object_id"] == m.as_str())));
    assert!(!log(&app, &commission, "action=auth.login").await.is_empty());
    assert!(log(&app, &admin_a.token, "action=auth.login").await.is_empty(), "sign-ins are the commission's");
    let verdict = app.get("/api/v1/audit-log/verification", Some(&commission)).await;
    assert_eq!(verdict.expect_status(200)["intact"], true, "{}", verdict.body);
    app.get("/api/v1/audit-log/verification", Some(&admin_a.token)).await.expect_error(403, "forbidden");
    // Anyone else: refused.
    app.get("/api/v1/audit-log", Some(&members_a[0].token)).await.expect_error(403, "forbidden");
    app.get("/api/v1/audit-log", Some(&reviewer.token)).await.expect_error(403, "forbidden");
}
