//! Associations (AS-01..04): the registry, qualifications, membership requests and decisions,
//! member search; on both backends.

use anjoman_tests::{Backend, GOOD_PASSWORD, TestApp, fresh_national_code, on_both_backends};
use diesel::RunQueryDsl;
use serde_json::{Value, json};

on_both_backends!(
    commission_creates_and_admins_edit_associations,
    qualifying_people_request_and_admins_decide,
    member_search_folds_persian_letters_and_filters,
    a_search_matching_many_counts_to_the_cap_and_still_pages,
    public_status_check_needs_a_captcha_and_masks_the_email,
    board_keeps_one_holder_per_single_seat_and_its_history,
);

async fn commission(app: &TestApp) -> String {
    app.login("0084575948", "Anjoman-Demo-1403").await.expect_status(200)["access_token"].as_str().unwrap().to_owned()
}

async fn person_named(app: &TestApp, first: &str, last: &str) -> (String, String) {
    let code = fresh_national_code();
    let body = json!({"national_code": code, "password": GOOD_PASSWORD, "first_name": first, "last_name": last});
    app.post("/api/v1/auth/register", None, &body).await.expect_status(201);
    let token = app.login(&code, GOOD_PASSWORD).await.expect_status(200)["access_token"].as_str().unwrap().to_owned();
    (code, token)
}

async fn association(app: &TestApp, admin: &str, code: &str) -> Value {
    let body = json!({"code": code, "name": "انجمن انفورماتیک پزشکی ایران", "email": "info@mi.example.ir", "website": "https://mi.example.ir", "statute_date": "1998-05-01"});
    app.post("/api/v1/associations", Some(admin), &body).await.expect_status(201).clone()
}

async fn commission_creates_and_admins_edit_associations(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let admin = commission(&app).await;
    let (admin_code, assoc_admin) = person_named(&app, "نرگس", "کاظمی").await;
    let (_, outsider) = person_named(&app, "پرویز", "نیکو").await;

    let bad = app
        .post("/api/v1/associations", Some(&admin), &json!({"code": "bad code!", "name": "", "website": "ftp://x"}))
        .await;
    let fields = bad.expect_error(400, "validation_failed")["fields"].clone();
    assert!(fields["code"].is_array() && fields["name"].is_array() && fields["website"].is_array(), "{fields}");
    app.post("/api/v1/associations", Some(&outsider), &json!({"code": "x", "name": "x"}))
        .await
        .expect_error(403, "forbidden");

    let created = association(&app, &admin, "informatics-test").await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["member_count"], 0);
    let again = app.post("/api/v1/associations", Some(&admin), &json!({"code": "informatics-test", "name": "x"})).await;
    again.expect_error(409, "code_taken");

    let public = app.get("/api/v1/associations", None).await;
    assert!(public.expect_status(200)["items"].as_array().unwrap().iter().any(|a| a["code"] == "informatics-test"));
    assert_eq!(
        app.get(&format!("/api/v1/associations/{id}"), None).await.expect_status(200)["website"],
        "https://mi.example.ir"
    );

    // Only its own admins (and the commission) edit it.
    app.patch(&format!("/api/v1/associations/{id}"), Some(&assoc_admin), &json!({"phone": "021-1234"}))
        .await
        .expect_error(403, "forbidden");
    app.post(&format!("/api/v1/associations/{id}/admins"), Some(&admin), &json!({"national_code": admin_code}))
        .await
        .expect_status(204);
    app.post(
        &format!("/api/v1/associations/{id}/admins"),
        Some(&admin),
        &json!({"national_code": fresh_national_code()}),
    )
    .await
    .expect_error(400, "validation_failed");
    let edited = app
        .patch(&format!("/api/v1/associations/{id}"), Some(&assoc_admin), &json!({"phone": "۰۲۱-۱۲۳۴", "email": ""}))
        .await;
    assert_eq!(edited.expect_status(200)["phone"], "021-1234");
    assert!(edited.body["email"].is_null());
    app.patch(&format!("/api/v1/associations/{id}"), Some(&assoc_admin), &json!({"code": "other"}))
        .await
        .expect_error(400, "validation_failed");
    let other = association(&app, &admin, "paediatrics-test").await;
    let other_id = other["id"].as_str().unwrap();
    app.patch(&format!("/api/v1/associations/{other_id}"), Some(&assoc_admin), &json!({"phone": "1"}))
        .await
        .expect_error(403, "forbidden");
    app.put(&format!("/api/v1/associations/{other_id}/qualifications"), Some(&assoc_admin), &json!([]))
        .await
        .expect_error(403, "forbidden");
}

async fn qualifying_people_request_and_admins_decide(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let admin = commission(&app).await;
    let created = association(&app, &admin, "physio-test").await;
    let id = created["id"].as_str().unwrap().to_owned();
    let (admin_code, assoc_admin) = person_named(&app, "مینا", "صادقی").await;
    app.post(&format!("/api/v1/associations/{id}/admins"), Some(&admin), &json!({"national_code": admin_code}))
        .await
        .expect_status(204);
    let quals =
        json!([{"field": "فیزیوتراپي", "degree_level": "bachelor"}, {"field": "فیزیوتراپی", "degree_level": "phd"}]);
    let set = app.put(&format!("/api/v1/associations/{id}/qualifications"), Some(&assoc_admin), &quals).await;
    assert_eq!(set.expect_status(200)["qualifications"].as_array().unwrap().len(), 2);
    let bad = app
        .put(
            &format!("/api/v1/associations/{id}/qualifications"),
            Some(&assoc_admin),
            &json!([{"field": "", "degree_level": "wizard"}]),
        )
        .await;
    bad.expect_error(400, "validation_failed");

    let (_, person) = person_named(&app, "رضا", "امینی").await;
    let url = format!("/api/v1/associations/{id}/membership-requests");
    let refused = app.post(&url, Some(&person), &json!({"field": "پرستاری", "degree_level": "bachelor"})).await;
    assert!(refused.expect_error(400, "validation_failed")["fields"]["field"][0].as_str().unwrap().len() > 10);
    let requested = app.post(&url, Some(&person), &json!({"field": "فيزيوتراپی", "degree_level": "bachelor"})).await;
    let membership = requested.expect_status(201).clone();
    assert_eq!(membership["status"], "pending");
    app.post(&url, Some(&person), &json!({"field": "فیزیوتراپی", "degree_level": "bachelor"}))
        .await
        .expect_error(409, "already_requested");
    assert_eq!(
        app.get(&format!("/api/v1/associations/{id}"), None).await.body["member_count"],
        0,
        "pending is not a member"
    );

    let mid = membership["id"].as_str().unwrap();
    app.post(&format!("/api/v1/memberships/{mid}/approve"), Some(&person), &json!({}))
        .await
        .expect_error(403, "forbidden");
    app.post(&format!("/api/v1/memberships/{mid}/reject"), Some(&assoc_admin), &json!({"reason": " "}))
        .await
        .expect_error(400, "validation_failed");
    let rejected = app
        .post(
            &format!("/api/v1/memberships/{mid}/reject"),
            Some(&assoc_admin),
            &json!({"reason": "مدرک ارسال نشده است"}),
        )
        .await;
    assert_eq!(rejected.expect_status(200)["status"], "rejected");
    let mine = app.get("/api/v1/me/memberships", Some(&person)).await;
    assert_eq!(mine.expect_status(200)["items"][0]["reason"], "مدرک ارسال نشده است");
    // A rejected person may ask again.
    assert_eq!(
        app.post(&url, Some(&person), &json!({"field": "فیزیوتراپی", "degree_level": "phd"})).await.expect_status(201)
            ["status"],
        "pending"
    );
    let approved = app.post(&format!("/api/v1/memberships/{mid}/approve"), Some(&assoc_admin), &json!({})).await;
    assert_eq!(approved.expect_status(200)["status"], "approved");
    app.post(&format!("/api/v1/memberships/{mid}/approve"), Some(&assoc_admin), &json!({}))
        .await
        .expect_error(409, "already_approved");
    app.post(&url, Some(&person), &json!({"field": "فیزیوتراپی", "degree_level": "phd"}))
        .await
        .expect_error(409, "already_member");

    let mine = app.get("/api/v1/me/memberships", Some(&person)).await;
    assert_eq!(mine.expect_status(200)["items"][0]["status"], "approved");
    assert_eq!(mine.body["items"][0]["association_name"], "انجمن انفورماتیک پزشکی ایران");
    let me = app.get("/api/v1/me", Some(&person)).await;
    assert_eq!(me.body["grants"], json!([{"role": "member", "scope_type": "association", "scope_id": id}]));
    assert_eq!(app.get(&format!("/api/v1/associations/{id}"), None).await.body["member_count"], 1);

    // An admin registers a member directly.
    let (direct_code, _) = person_named(&app, "لیلا", "رحیمی").await;
    let reg = app
        .post(
            &format!("/api/v1/associations/{id}/members"),
            Some(&assoc_admin),
            &json!({"national_code": direct_code, "field": "فیزیوتراپی", "degree_level": "phd"}),
        )
        .await;
    assert_eq!(reg.expect_status(201)["status"], "approved");
    app.post(
        &format!("/api/v1/associations/{id}/members"),
        Some(&assoc_admin),
        &json!({"national_code": direct_code, "field": "فیزیوتراپی", "degree_level": "phd"}),
    )
    .await
    .expect_error(409, "already_member");
}

async fn member_search_folds_persian_letters_and_filters(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let admin = commission(&app).await;
    let created = association(&app, &admin, "paediatrics-test").await;
    let id = created["id"].as_str().unwrap().to_owned();
    app.put(
        &format!("/api/v1/associations/{id}/qualifications"),
        Some(&admin),
        &json!([{"field": "کودکان", "degree_level": "specialist"}]),
    )
    .await
    .expect_status(200);
    let (mut codes, mut tokens) = (Vec::new(), Vec::new());
    for (first, last) in [("علی", "کریمی"), ("زهرا", "مهدی\u{200C}زاده"), ("مریم", "حسینی")]
    {
        let (code, token) = person_named(&app, first, last).await;
        app.post(
            &format!("/api/v1/associations/{id}/membership-requests"),
            Some(&token),
            &json!({"field": "کودکان", "degree_level": "specialist"}),
        )
        .await
        .expect_status(201);
        codes.push(code);
        tokens.push(token);
    }
    let search = |q: &str| {
        let url = format!("/api/v1/associations/{id}/members?q={}", urlencode(q));
        let (app, admin) = (&app, admin.clone());
        async move { app.get(&url, Some(&admin)).await }
    };
    let found = search("علي").await;
    assert_eq!(found.expect_status(200)["total"], 1);
    assert_eq!(found.body["items"][0]["first_name"], "علی");
    assert_eq!(search("كريمي").await.body["total"], 1, "Arabic kaf and yeh find Persian ones");
    assert_eq!(search("مهدی زاده").await.body["total"], 1, "a space finds a ZWNJ");
    assert_eq!(search(&codes[2][..6]).await.body["items"][0]["national_code"], codes[2].as_str());
    let all = app.get(&format!("/api/v1/associations/{id}/members?status=pending&per_page=2"), Some(&admin)).await;
    assert_eq!((all.body["total"].as_i64(), all.body["items"].as_array().unwrap().len()), (Some(3), 2));
    // The last page and a page past the end still tell the total.
    for (page, items) in [(2, 1), (9, 0)] {
        let url = format!("/api/v1/associations/{id}/members?status=pending&per_page=2&page={page}");
        let p = app.get(&url, Some(&admin)).await;
        assert_eq!(
            (p.body["total"].as_i64(), p.body["items"].as_array().unwrap().len()),
            (Some(3), items),
            "page {page}"
        );
    }
    assert_eq!(search("نام‌ناموجود").await.body["total"], 0);

    // The name searched is kept with each membership (migration 15): a new name is found at
    // once, the old one no longer, and a namesake in another association is not counted.
    app.patch("/api/v1/me", Some(&tokens[0]), &json!({"last_name": "کریم‌پور"})).await.expect_status(200);
    assert_eq!(search("کریمی").await.body["total"], 0, "the old name is gone");
    let renamed = search("كريم پور").await;
    assert_eq!(renamed.body["total"], 1, "the new name is found");
    assert_eq!(renamed.body["items"][0]["last_name"], "کریم‌پور");
    let other = association(&app, &admin, "cardiology-test").await;
    let other_id = other["id"].as_str().unwrap().to_owned();
    app.put(
        &format!("/api/v1/associations/{other_id}/qualifications"),
        Some(&admin),
        &json!([{"field": "قلب", "degree_level": "specialist"}]),
    )
    .await
    .expect_status(200);
    let (_, namesake) = person_named(&app, "مریم", "حسینی").await;
    app.post(
        &format!("/api/v1/associations/{other_id}/membership-requests"),
        Some(&namesake),
        &json!({"field": "قلب", "degree_level": "specialist"}),
    )
    .await
    .expect_status(201);
    assert_eq!(search("حسینی").await.body["total"], 1, "only this association's members");
    let there =
        app.get(&format!("/api/v1/associations/{other_id}/members?q={}", urlencode("حسینی")), Some(&admin)).await;
    assert_eq!(there.expect_status(200)["total"], 1);

    app.get(&format!("/api/v1/associations/{id}/members?status=nonsense"), Some(&admin))
        .await
        .expect_error(400, "validation_failed");
}

/// A name shared by more members than the cap (1,000): the total stops at the cap and says so,
/// the pages still come newest first, and a narrower search is counted exactly. The people are
/// written straight into the database (a thousand registrations would take minutes); their
/// memberships take the searched name from the person by the database's own trigger.
async fn a_search_matching_many_counts_to_the_cap_and_still_pages(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let admin = commission(&app).await;
    let id = association(&app, &admin, "crowded-test").await["id"].as_str().unwrap().to_owned();
    let mut conn = app.db.connect();
    for chunk in (0..1_005).collect::<Vec<u32>>().chunks(250) {
        let persons: Vec<String> = chunk
            .iter()
            .map(|i| {
                format!(
                    "('bulk-{i}', '{:010}', 'ساره', 'پرجمعیت{i}', 'ساره پرجمعیت{i}', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
                    9_000_000_000u64 + u64::from(*i)
                )
            })
            .collect();
        diesel::sql_query(format!(
            "INSERT INTO persons (id, national_code, first_name, last_name, search_name, created_at, updated_at) VALUES {}",
            persons.join(", ")
        ))
        .execute(&mut conn)
        .expect("persons");
        let memberships: Vec<String> = chunk
            .iter()
            .map(|i| {
                format!(
                    "('bulk-m-{i}', '{id}', 'bulk-{i}', 'approved', 'کودکان', 'specialist', 'import', '2026-01-01 {:02}:{:02}:{:02}')",
                    i / 3600,
                    i / 60 % 60,
                    i % 60
                )
            })
            .collect();
        diesel::sql_query(format!(
            "INSERT INTO memberships (id, association_id, person_id, status, field, degree_level, source, requested_at) VALUES {}",
            memberships.join(", ")
        ))
        .execute(&mut conn)
        .expect("memberships");
    }
    let list = |q: &str, page: u32| {
        let url = format!("/api/v1/associations/{id}/members?q={}&per_page=10&page={page}", urlencode(q));
        let (app, admin) = (&app, admin.clone());
        async move { app.get(&url, Some(&admin)).await }
    };
    let many = list("پرجمعیت", 1).await;
    assert_eq!((&many.expect_status(200)["total"], &many.body["total_capped"]), (&json!(1000), &json!(true)));
    assert_eq!(many.body["items"][0]["last_name"], "پرجمعیت1004", "newest first");
    assert_eq!(many.body["items"].as_array().unwrap().len(), 10);
    let deep = list("پرجمعیت", 101).await;
    assert_eq!(deep.body["items"][0]["last_name"], "پرجمعیت4", "pages go on past the cap");
    let few = list("پرجمعیت100", 1).await;
    assert_eq!((&few.body["total"], &few.body["total_capped"]), (&json!(6), &json!(false)), "1000..1004 and 100");
    assert_eq!(few.body["items"][0]["last_name"], "پرجمعیت1004");
    let all = app.get(&format!("/api/v1/associations/{id}/members?per_page=1"), Some(&admin)).await;
    assert_eq!(
        (&all.body["total"], &all.body["total_capped"]),
        (&json!(1005), &json!(false)),
        "a list is counted exactly"
    );
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

async fn public_status_check_needs_a_captcha_and_masks_the_email(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("ANJOMAN_CAPTCHA", "on")], &["--demo"]).await;
    let with_captcha = |mut body: Value, id: &str, answer: &str| {
        body["captcha_id"] = json!(id);
        body["captcha_answer"] = json!(answer);
        body
    };
    let (id, answer) = app.captcha().await;
    let code = fresh_national_code();
    let reg = json!({"national_code": code, "password": GOOD_PASSWORD, "first_name": "سارا", "last_name": "نوری", "email": "sara@example.ir"});
    app.post("/api/v1/auth/register", None, &with_captcha(reg, &id, &answer)).await.expect_status(201);
    let (id, answer) = app.captcha().await;
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            &with_captcha(json!({"national_code": code, "password": GOOD_PASSWORD}), &id, &answer),
        )
        .await;
    let token = login.expect_status(200)["access_token"].as_str().unwrap().to_owned();
    let list = app.get("/api/v1/associations", None).await;
    let physio = list.body["items"].as_array().unwrap().iter().find(|a| a["code"] == "physiotherapy").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        &format!("/api/v1/associations/{physio}/membership-requests"),
        Some(&token),
        &json!({"field": "فیزیوتراپی", "degree_level": "master"}),
    )
    .await
    .expect_status(201);

    // Without a captcha: refused.
    app.post("/api/v1/membership-status", None, &json!({"national_code": code}))
        .await
        .expect_error(400, "validation_failed");
    let (id, answer) = app.captcha().await;
    let status =
        app.post("/api/v1/membership-status", None, &with_captcha(json!({"national_code": code}), &id, &answer)).await;
    let body = status.expect_status(200).clone();
    assert_eq!(body["memberships"][0]["status"], "pending");
    assert_eq!(body["memberships"][0]["association_name"], "انجمن فیزیوتراپی ایران");
    assert_eq!(body["email_masked"], "s***@e******.ir");
    // Unknown and membership-less national codes look the same.
    let (id, answer) = app.captcha().await;
    let unknown = app
        .post(
            "/api/v1/membership-status",
            None,
            &with_captcha(json!({"national_code": fresh_national_code()}), &id, &answer),
        )
        .await;
    assert_eq!(unknown.expect_status(200).clone(), json!({"memberships": [], "email_masked": null}));
}

async fn board_keeps_one_holder_per_single_seat_and_its_history(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let admin = commission(&app).await;
    let created = association(&app, &admin, "cardiology").await;
    let id = created["id"].as_str().unwrap().to_owned();
    app.put(
        &format!("/api/v1/associations/{id}/qualifications"),
        Some(&admin),
        &json!([{"field": "قلب", "degree_level": "specialist"}]),
    )
    .await
    .expect_status(200);
    let mut members = Vec::new();
    for (first, last) in [("بهرام", "شریفی"), ("شیرین", "آزاد"), ("کامران", "فرهی")] {
        let (code, _) = person_named(&app, first, last).await;
        app.post(
            &format!("/api/v1/associations/{id}/members"),
            Some(&admin),
            &json!({"national_code": code, "field": "قلب", "degree_level": "specialist"}),
        )
        .await
        .expect_status(201);
        members.push(code);
    }
    let (outsider, outsider_token) = person_named(&app, "ناصر", "بیرونی").await;
    let seat = |code: &str, position: &str| json!({"national_code": code, "position": position, "start_date": "2025-03-21", "end_date": "2028-03-20"});
    let url = format!("/api/v1/associations/{id}/board");

    app.post(&url, Some(&outsider_token), &seat(&members[0], "president")).await.expect_error(403, "forbidden");
    app.post(&url, Some(&admin), &seat(&outsider, "president")).await.expect_error(400, "validation_failed");
    app.post(&url, Some(&admin), &json!({"national_code": members[0], "position": "king", "start_date": "2025-13-01"}))
        .await
        .expect_error(400, "validation_failed");
    let board = app.post(&url, Some(&admin), &seat(&members[0], "president")).await;
    assert_eq!(board.expect_status(201)["current"][0]["position"], "president");
    // A second current president is refused by the database; two board members are fine.
    app.post(&url, Some(&admin), &seat(&members[1], "president")).await.expect_error(409, "position_taken");
    app.post(&url, Some(&admin), &seat(&members[1], "board_member")).await.expect_status(201);
    app.post(&url, Some(&admin), &seat(&members[2], "board_member")).await.expect_status(201);

    let public = app.get(&url, None).await;
    let current = public.expect_status(200)["current"].as_array().unwrap().clone();
    assert_eq!(current.len(), 3);
    assert_eq!(current[0]["first_name"], "بهرام");
    let president = current[0]["id"].as_str().unwrap().to_owned();

    // Closing the term moves it to history and frees the seat.
    app.post(&format!("/api/v1/board-positions/{president}/close"), Some(&admin), &json!({"closed_on": "2026-01-01"}))
        .await
        .expect_status(204);
    app.post(&format!("/api/v1/board-positions/{president}/close"), Some(&admin), &json!({}))
        .await
        .expect_error(409, "already_closed");
    app.post(&url, Some(&admin), &seat(&members[1], "president")).await.expect_status(201);
    let public = app.get(&url, None).await;
    assert_eq!(public.body["past"][0]["closed_on"], "2026-01-01");
    assert_eq!(public.body["current"][0]["first_name"], "شیرین");
}
