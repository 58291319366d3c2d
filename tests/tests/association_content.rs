//! Associations' logos, news (AS-06), messages (AS-07) and the all-or-nothing members import
//! (AS-04); on both backends.

mod support;

use anjoman_core::text::NationalCode;
use anjoman_tests::{Answer, Backend, GOOD_PASSWORD, PDF, TestApp, fresh_national_code, on_both_backends};
use serde_json::{Value, json};

on_both_backends!(
    logos_are_public_images_of_the_right_purpose,
    news_are_drafted_published_and_unpublished,
    messages_reach_inboxes_with_read_marks_and_attachments,
    an_import_with_one_bad_row_imports_nothing,
    ten_thousand_members_import_in_one_go,
);

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

async fn commission(app: &TestApp) -> String {
    app.login("0084575948", "Anjoman-Demo-1403").await.expect_status(200)["access_token"].as_str().unwrap().to_owned()
}

async fn person(app: &TestApp, first: &str, last: &str) -> (String, String) {
    let code = fresh_national_code();
    let body = json!({"national_code": code, "password": GOOD_PASSWORD, "first_name": first, "last_name": last});
    app.post("/api/v1/auth/register", None, &body).await.expect_status(201);
    let token = app.login(&code, GOOD_PASSWORD).await.expect_status(200)["access_token"].as_str().unwrap().to_owned();
    (code, token)
}

/// A new association with its own admin; returns (association id, admin token).
async fn association_with_admin(app: &TestApp, commission: &str, code: &str) -> (String, String) {
    let body = json!({"code": code, "name": format!("انجمن {code}")});
    let created = app.post("/api/v1/associations", Some(commission), &body).await;
    let id = created.expect_status(201)["id"].as_str().unwrap().to_owned();
    let (admin_code, admin) = person(app, "مدیر", code).await;
    app.post(&format!("/api/v1/associations/{id}/admins"), Some(commission), &json!({"national_code": admin_code}))
        .await
        .expect_status(204);
    let quals = json!([{"field": "انفورماتیک پزشکی", "degree_level": "master"}, {"field": "مدارک پزشکی", "degree_level": "bachelor"}]);
    app.put(&format!("/api/v1/associations/{id}/qualifications"), Some(&admin), &quals).await.expect_status(200);
    (id, admin)
}

async fn upload(app: &TestApp, token: &str, purpose: &str, bytes: &[u8]) -> Answer {
    let url = app.url(&format!("/api/v1/files?purpose={purpose}&name=file"));
    app.send(
        app.client.post(url).bearer_auth(token).header("content-type", "application/octet-stream").body(bytes.to_vec()),
    )
    .await
}

async fn logos_are_public_images_of_the_right_purpose(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let commission = commission(&app).await;
    let (id, admin) = association_with_admin(&app, &commission, "logo-test").await;

    let pdf = upload(&app, &admin, "attachment", PDF).await.expect_status(201)["id"].as_str().unwrap().to_owned();
    let set = app.patch(&format!("/api/v1/associations/{id}"), Some(&admin), &json!({"logo_file_id": pdf})).await;
    set.expect_error(400, "validation_failed");
    assert!(set.body["fields"]["logo_file_id"].is_array());
    upload(&app, &admin, "association_logo", PDF).await.expect_error(400, "unsupported_file_type");

    let logo =
        upload(&app, &admin, "association_logo", PNG).await.expect_status(201)["id"].as_str().unwrap().to_owned();
    let set = app.patch(&format!("/api/v1/associations/{id}"), Some(&admin), &json!({"logo_file_id": logo})).await;
    let url = set.expect_status(200)["logo_url"].as_str().unwrap().to_owned();
    assert_eq!(url, format!("/api/v1/files/{logo}"));
    // Anyone sees it, signed in or not.
    let got = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "image/png");
    let cleared = app.patch(&format!("/api/v1/associations/{id}"), Some(&admin), &json!({"logo_file_id": ""})).await;
    assert!(cleared.expect_status(200)["logo_url"].is_null());
}

async fn news_are_drafted_published_and_unpublished(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let commission = commission(&app).await;
    let (id, admin) = association_with_admin(&app, &commission, "news-test").await;
    let (_, other_admin) = association_with_admin(&app, &commission, "news-other").await;
    let (_, outsider) = person(&app, "پرویز", "نیکو").await;
    let news_url = format!("/api/v1/associations/{id}/news");

    app.post(&news_url, Some(&admin), &json!({"title": " ", "body": ""})).await.expect_error(400, "validation_failed");
    app.post(&news_url, Some(&other_admin), &json!({"title": "x", "body": "y"})).await.expect_error(403, "forbidden");
    app.post(&news_url, Some(&outsider), &json!({"title": "x", "body": "y"})).await.expect_error(403, "forbidden");
    let attachment = upload(&app, &admin, "attachment", PNG).await.expect_status(201)["id"].clone();
    app.post(&news_url, Some(&admin), &json!({"title": "x", "body": "y", "image_file_id": attachment}))
        .await
        .expect_error(400, "validation_failed");

    let image = upload(&app, &admin, "news_image", PNG).await.expect_status(201)["id"].clone();
    let draft = app
        .post(
            &news_url,
            Some(&admin),
            &json!({"title": "همايش سالانه", "body": "همایش سالانهٔ انجمن در آذر برگزار می‌شود.", "image_file_id": image}),
        )
        .await;
    let draft = draft.expect_status(201).clone();
    let nid = draft["id"].as_str().unwrap().to_owned();
    assert!(draft["published_at"].is_null());
    assert_eq!(draft["title"], "همایش سالانه", "stored Persian-normalised");
    assert!(draft["image_url"].as_str().unwrap().ends_with(image.as_str().unwrap()));

    // A draft is nobody's business but its association's admins'.
    assert_eq!(app.get(&news_url, None).await.expect_status(200)["total"], 0);
    app.get(&format!("/api/v1/news/{nid}"), None).await.expect_error(404, "not_found");
    app.get(&format!("/api/v1/news/{nid}"), Some(&other_admin)).await.expect_error(404, "not_found");
    app.get(&format!("{news_url}?drafts=true"), None).await.expect_error(401, "unauthorized");
    app.get(&format!("{news_url}?drafts=true"), Some(&outsider)).await.expect_error(403, "forbidden");
    assert_eq!(app.get(&format!("{news_url}?drafts=true"), Some(&admin)).await.expect_status(200)["total"], 1);

    app.post(&format!("/api/v1/news/{nid}/publish"), Some(&other_admin), &json!({}))
        .await
        .expect_error(403, "forbidden");
    let published = app.post(&format!("/api/v1/news/{nid}/publish"), Some(&admin), &json!({})).await;
    assert!(published.expect_status(200)["published_at"].is_string());
    app.post(&format!("/api/v1/news/{nid}/publish"), Some(&admin), &json!({}))
        .await
        .expect_error(409, "already_published");
    let public = app.get(&news_url, None).await;
    assert_eq!(public.expect_status(200)["items"][0]["id"], nid.as_str());
    let overall = app.get("/api/v1/news?per_page=100", None).await;
    let item =
        overall.expect_status(200)["items"].as_array().unwrap().iter().find(|n| n["id"] == nid.as_str()).cloned();
    assert_eq!(item.expect("in the overall list")["association_name"], "انجمن news-test");
    assert_eq!(app.get(&format!("/api/v1/news/{nid}"), None).await.expect_status(200)["body"], draft["body"]);

    let edited = app.patch(&format!("/api/v1/news/{nid}"), Some(&admin), &json!({"title": "همایش سالانه ۱۴۰۵"})).await;
    assert_eq!(edited.expect_status(200)["title"], "همایش سالانه 1405");
    app.patch(&format!("/api/v1/news/{nid}"), Some(&other_admin), &json!({"title": "x"}))
        .await
        .expect_error(403, "forbidden");

    let unpublished = app.post(&format!("/api/v1/news/{nid}/unpublish"), Some(&admin), &json!({})).await;
    assert!(unpublished.expect_status(200)["published_at"].is_null());
    assert_eq!(app.get(&news_url, None).await.body["total"], 0);
    app.post(&format!("/api/v1/news/{nid}/unpublish"), Some(&admin), &json!({}))
        .await
        .expect_error(409, "not_published");
    app.get("/api/v1/news?per_page=500", None).await.expect_error(400, "validation_failed");
}

async fn messages_reach_inboxes_with_read_marks_and_attachments(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let commission = commission(&app).await;
    let (a_id, a_admin) = association_with_admin(&app, &commission, "letters-a").await;
    let (b_id, b_admin) = association_with_admin(&app, &commission, "letters-b").await;
    let (_, outsider) = person(&app, "پرویز", "نیکو").await;

    // The commission writes to association A with an attachment.
    let pdf = upload(&app, &commission, "attachment", PDF).await.expect_status(201)["id"].as_str().unwrap().to_owned();
    let someone_elses = upload(&app, &outsider, "attachment", PDF).await.expect_status(201)["id"].clone();
    let letter = json!({"from": "commission", "to": "associations", "association_ids": [a_id], "subject": "بخشنامهٔ انتخابات", "body": "متن بخشنامه", "attachment_ids": [pdf]});
    app.post("/api/v1/messages", Some(&a_admin), &letter).await.expect_error(403, "forbidden");
    let mut stolen = letter.clone();
    stolen["attachment_ids"] = json!([someone_elses]);
    app.post("/api/v1/messages", Some(&commission), &stolen).await.expect_error(400, "validation_failed");
    let mut wrong = letter.clone();
    wrong["to"] = json!("members");
    app.post("/api/v1/messages", Some(&commission), &wrong).await.expect_error(400, "validation_failed");
    let mut unknown = letter.clone();
    unknown["association_ids"] = json!(["no-such-association"]);
    app.post("/api/v1/messages", Some(&commission), &unknown).await.expect_error(400, "validation_failed");
    let sent = app.post("/api/v1/messages", Some(&commission), &letter).await;
    let mid = sent.expect_status(201)["id"].as_str().unwrap().to_owned();
    assert_eq!(sent.body["audience"]["recipient_count"], 1);
    assert_eq!(sent.body["attachments"][0]["id"], pdf.as_str());

    let inbox = app.get(&format!("/api/v1/mailboxes/{a_id}/messages"), Some(&a_admin)).await;
    assert_eq!(inbox.expect_status(200)["unread"], 1);
    assert_eq!(inbox.body["items"][0]["read"], false);
    assert_eq!(inbox.body["items"][0]["sender"]["kind"], "commission");
    assert_eq!(inbox.body["items"][0]["attachment_count"], 1);
    let boxes = app.get("/api/v1/mailboxes", Some(&a_admin)).await;
    let mine = boxes.expect_status(200)["items"].as_array().unwrap().iter().find(|b| b["mailbox"] == a_id.as_str());
    assert_eq!(mine.expect("its association's mailbox")["unread"], 1);
    assert_eq!(app.get(&format!("/api/v1/mailboxes/{b_id}/messages"), Some(&b_admin)).await.body["total"], 0);
    app.get(&format!("/api/v1/mailboxes/{a_id}/messages"), Some(&b_admin)).await.expect_error(403, "forbidden");
    app.get(&format!("/api/v1/mailboxes/{b_id}/messages/{mid}"), Some(&b_admin)).await.expect_error(404, "not_found");
    app.get("/api/v1/mailboxes/commission/messages", Some(&a_admin)).await.expect_error(403, "forbidden");

    // The attachment: its recipients read it, others do not.
    let file_url = app.url(&format!("/api/v1/files/{pdf}"));
    assert_eq!(app.client.get(&file_url).bearer_auth(&a_admin).send().await.unwrap().status(), 200);
    assert_eq!(app.client.get(&file_url).bearer_auth(&b_admin).send().await.unwrap().status(), 403);
    assert_eq!(app.client.get(&file_url).bearer_auth(&outsider).send().await.unwrap().status(), 403);

    let opened = app.get(&format!("/api/v1/mailboxes/{a_id}/messages/{mid}"), Some(&a_admin)).await;
    assert_eq!(opened.expect_status(200)["body"], "متن بخشنامه");
    assert_eq!(opened.body["read"], true);
    assert_eq!(app.get(&format!("/api/v1/mailboxes/{a_id}/messages"), Some(&a_admin)).await.body["unread"], 0);
    app.post(&format!("/api/v1/mailboxes/{a_id}/messages/{mid}/read"), Some(&a_admin), &json!({"read": false}))
        .await
        .expect_status(204);
    let again = app.get(&format!("/api/v1/mailboxes/{a_id}/messages?unread_only=true"), Some(&a_admin)).await;
    assert_eq!(again.expect_status(200)["total"], 1);
    let sent_box = app.get("/api/v1/mailboxes/commission/messages?folder=sent", Some(&commission)).await;
    assert!(sent_box.expect_status(200)["items"][0]["read"].is_null());
    assert_eq!(sent_box.body["items"][0]["audience"]["association_ids"][0], a_id.as_str());
    app.get("/api/v1/mailboxes/commission/messages?folder=trash", Some(&commission))
        .await
        .expect_error(400, "validation_failed");

    // Letters to all associations reach every one of them.
    let all = json!({"from": "commission", "to": "associations", "subject": "به همهٔ انجمن‌ها", "body": "سلام"});
    let count =
        app.post("/api/v1/messages", Some(&commission), &all).await.expect_status(201)["audience"]["recipient_count"]
            .as_i64()
            .unwrap();
    assert!(count >= 5, "the demo's three and this test's two: {count}");
    assert_eq!(app.get(&format!("/api/v1/mailboxes/{b_id}/messages"), Some(&b_admin)).await.body["unread"], 1);

    // An association writes to the commission.
    let to_commission = json!({"from": a_id, "to": "commission", "subject": "گزارش", "body": "گزارش سالانه"});
    app.post("/api/v1/messages", Some(&b_admin), &to_commission).await.expect_error(403, "forbidden");
    app.post("/api/v1/messages", Some(&a_admin), &to_commission).await.expect_status(201);
    let commission_box = app.get("/api/v1/mailboxes/commission/messages", Some(&commission)).await;
    assert_eq!(commission_box.expect_status(200)["items"][0]["sender"]["name"], "انجمن letters-a");

    // ... and to its members: all of them, or those of a field; pending requests get nothing.
    let (master_code, master) = person(&app, "سارا", "احمدی").await;
    let (bachelor_code, bachelor) = person(&app, "علی", "رضایی").await;
    let (_, pending) = person(&app, "مینا", "کریمی").await;
    for (code, field, degree) in
        [(&master_code, "انفورماتیک پزشکی", "master"), (&bachelor_code, "مدارک پزشکی", "bachelor")]
    {
        app.post(
            &format!("/api/v1/associations/{a_id}/members"),
            Some(&a_admin),
            &json!({"national_code": code, "field": field, "degree_level": degree}),
        )
        .await
        .expect_status(201);
    }
    app.post(
        &format!("/api/v1/associations/{a_id}/membership-requests"),
        Some(&pending),
        &json!({"field": "مدارک پزشکی", "degree_level": "bachelor"}),
    )
    .await
    .expect_status(201);
    let to_field = json!({"from": a_id, "to": "members", "field": "انفورماتيک پزشکی", "subject": "کارگاه", "body": "کارگاه ویژهٔ انفورماتیک"});
    assert_eq!(
        app.post("/api/v1/messages", Some(&a_admin), &to_field).await.expect_status(201)["audience"]["recipient_count"],
        1
    );
    let to_all = json!({"from": a_id, "to": "members", "subject": "مجمع عمومی", "body": "دعوت به مجمع"});
    assert_eq!(
        app.post("/api/v1/messages", Some(&a_admin), &to_all).await.expect_status(201)["audience"]["recipient_count"],
        2
    );
    let nobody = json!({"from": a_id, "to": "members", "degree_level": "phd", "subject": "x", "body": "y"});
    app.post("/api/v1/messages", Some(&a_admin), &nobody).await.expect_error(400, "validation_failed");
    assert_eq!(app.get("/api/v1/mailboxes/me/messages", Some(&master)).await.expect_status(200)["unread"], 2);
    assert_eq!(app.get("/api/v1/mailboxes/me/messages", Some(&bachelor)).await.body["total"], 1);
    assert_eq!(app.get("/api/v1/mailboxes/me/messages", Some(&pending)).await.body["total"], 0);
    let from_me = json!({"from": "me", "to": "commission", "subject": "x", "body": "y"});
    app.post("/api/v1/messages", Some(&master), &from_me).await.expect_error(400, "validation_failed");
}

fn csv(rows: &[String]) -> String {
    let mut out = String::from("\u{FEFF}کد ملی,نام,نام خانوادگی,رشته,مقطع,تلفن همراه\r\n");
    for r in rows {
        out.push_str(r);
        out.push_str("\r\n");
    }
    out
}

async fn import(app: &TestApp, token: &str, id: &str, body: String, dry_run: bool) -> Answer {
    let url = app.url(&format!("/api/v1/associations/{id}/members/import?dry_run={dry_run}"));
    app.send(app.client.post(url).bearer_auth(token).header("content-type", "text/csv").body(body)).await
}

async fn an_import_with_one_bad_row_imports_nothing(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let commission = commission(&app).await;
    let (id, admin) = association_with_admin(&app, &commission, "import-test").await;
    let (_, other_admin) = association_with_admin(&app, &commission, "import-other").await;
    let (registered_code, _) = person(&app, "سارا", "احمدی").await;
    let newcomer = fresh_national_code();
    let good = vec![
        format!("{registered_code},,,انفورماتیک پزشکی,کارشناسی ارشد,"),
        format!("{newcomer},علي,كريمي,مدارك پزشكي,كارشناسي,۰۹۱۲۱۲۳۴۵۶۷"),
    ];
    let mut bad = good.clone();
    bad.push("۱۲۳۴۵,مینا,رحیمی,مدارک پزشکی,کارشناسی,".to_owned());
    let memberships = app.count("memberships");
    let persons = app.count("persons");

    import(&app, &other_admin, &id, csv(&good), false).await.expect_error(403, "forbidden");
    let rejected = import(&app, &admin, &id, csv(&bad), false).await;
    let fields = rejected.expect_error(400, "import_rejected")["fields"].as_object().unwrap().clone();
    // The bad row is line 4 (the heading is line 1): a wrong check digit, or a repeat of line 3.
    assert!(fields.keys().all(|k| k.starts_with("rows[4].")), "{fields:?}");
    assert!(fields.contains_key("rows[4].national_code"), "{fields:?}");
    assert_eq!(app.count("memberships"), memberships, "nothing half-imported");
    assert_eq!(app.count("persons"), persons);

    let mut unqualified = good.clone();
    unqualified.push(format!("{},مینا,رحیمی,پرستاری,دکترای تخصصی,", fresh_national_code()));
    unqualified.push(format!("{},,,مدارک پزشکی,کارشناسی,", fresh_national_code()));
    let rejected = import(&app, &admin, &id, csv(&unqualified), false).await;
    let fields = rejected.expect_error(400, "import_rejected")["fields"].clone();
    assert!(fields["rows[4].field"].is_array() && fields["rows[5].first_name"].is_array(), "{fields}");
    import(&app, &admin, &id, "name,phone\r\nx,y\r\n".into(), false).await.expect_error(400, "import_columns_missing");
    import(&app, &admin, &id, csv(&[]), false).await.expect_error(400, "import_empty");
    // Past the limit the file is refused whole, with the limit in the message.
    let huge = "x".repeat(8 * 1024 * 1024 + 1);
    let too_large = import(&app, &admin, &id, huge, false).await;
    assert!(
        too_large.expect_error(400, "import_too_large")["message"].as_str().unwrap().contains('۸'),
        "{}",
        too_large.body
    );

    let checked = import(&app, &admin, &id, csv(&good), true).await;
    assert_eq!(checked.expect_status(200)["rows"], 2);
    assert_eq!((checked.body["imported"].clone(), checked.body["new_people"].clone()), (json!(0), json!(1)));
    assert_eq!(app.count("memberships"), memberships, "a dry run changes nothing");
    let done = import(&app, &admin, &id, csv(&good), false).await;
    assert_eq!(done.expect_status(200)["imported"], 2);
    assert_eq!(app.count("memberships"), memberships + 2);
    let again = import(&app, &admin, &id, csv(&good), false).await;
    assert!(again.expect_error(400, "import_rejected")["fields"]["rows[2].national_code"].is_array());

    // The imported newcomer is found by the Arabic-lettered spelling. Signing up with the
    // national code does not hand the record over; a code to the recorded mobile does, and the
    // membership is waiting, with the mobile the association recorded.
    let found = app.get(&format!("/api/v1/associations/{id}/members?q=علي كريمي"), Some(&admin)).await;
    let row: Value = found.expect_status(200)["items"][0].clone();
    assert_eq!((row["national_code"].as_str(), row["status"].as_str()), (Some(newcomer.as_str()), Some("approved")));
    let signup = json!({"national_code": newcomer, "password": GOOD_PASSWORD, "first_name": "Ali", "last_name": "K", "mobile": "09350000000"});
    app.post("/api/v1/auth/register", None, &signup).await.expect_error(409, "record_claim_by_recovery");
    app.login(&newcomer, GOOD_PASSWORD).await.expect_error(401, "invalid_credentials");
    app.post("/api/v1/auth/recovery", None, &json!({"national_code": newcomer})).await.expect_status(202);
    let code = support::sent_code(&app, "09121234567", "password_reset");
    let reset = json!({"national_code": newcomer, "code": code, "new_password": GOOD_PASSWORD});
    app.post("/api/v1/auth/recovery/reset", None, &reset).await.expect_status(204);
    let token =
        app.login(&newcomer, GOOD_PASSWORD).await.expect_status(200)["access_token"].as_str().unwrap().to_owned();
    let mine = app.get("/api/v1/me/memberships", Some(&token)).await;
    assert_eq!(mine.expect_status(200)["items"][0]["status"], "approved");
    let me = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.expect_status(200)["mobile"], "09121234567");
    assert_eq!(me.body["first_name"], "علی");
    app.post("/api/v1/auth/register", None, &signup).await.expect_error(409, "already_registered");
}

async fn ten_thousand_members_import_in_one_go(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[], &["--demo"]).await;
    let commission = commission(&app).await;
    let (id, admin) = association_with_admin(&app, &commission, "import-large").await;
    // Distinct codes: consecutive prefixes from a random start.
    let start: u64 = fresh_national_code()[..9].parse::<u64>().unwrap() % 800_000_000 + 100_000_000;
    let codes = (start..).filter_map(|n| NationalCode::from_prefix(&n.to_string())).take(10_000);
    let rows: Vec<String> =
        codes.enumerate().map(|(i, c)| format!("{},عضو,شماره {i},مدارک پزشکی,کارشناسی,", c.as_str())).collect();
    let done = import(&app, &admin, &id, csv(&rows), false).await;
    assert_eq!(done.expect_status(200)["imported"], 10_000);
    assert_eq!(app.get(&format!("/api/v1/associations/{id}"), None).await.body["member_count"], 10_000);
    let page = app.get(&format!("/api/v1/associations/{id}/members?q=شماره 9999"), Some(&admin)).await;
    assert_eq!(page.expect_status(200)["total"], 1);
}
