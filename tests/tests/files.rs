//! Files (PL-03): content-checked uploads, random keys, per-purpose access; on local disk and
//! on a real S3 protocol server.

use anjoman_tests::fakes::S3Server;
use anjoman_tests::{Backend, PDF, TestApp, on_both_backends};
use serde_json::json;

on_both_backends!(files_round_trip_on_local_disk, files_round_trip_on_s3, uploads_are_checked_and_downloads_authorised,);

async fn upload(app: &TestApp, token: &str, purpose: &str, name: &str, bytes: Vec<u8>) -> anjoman_tests::Answer {
    let url = app.url(&format!("/api/v1/files?purpose={purpose}&name={name}"));
    app.send(app.client.post(url).bearer_auth(token).header("content-type", "application/octet-stream").body(bytes))
        .await
}

async fn round_trip(app: &TestApp) -> String {
    let (_, login) = app.signed_in_person().await;
    let token = login["access_token"].as_str().unwrap();
    let res = upload(app, token, "officer_document", "degree%20scan.pdf", PDF.to_vec()).await;
    let info = res.expect_status(201).clone();
    assert_eq!(info["content_type"], "application/pdf");
    assert_eq!(info["size_bytes"], PDF.len());
    assert_eq!(info["name"], "degree scan.pdf");
    let got = app.client.get(app.url(info["url"].as_str().unwrap())).bearer_auth(token).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "application/pdf");
    assert!(got.headers()["content-disposition"].to_str().unwrap().contains("degree%20scan.pdf"));
    assert_eq!(got.bytes().await.unwrap().as_ref(), PDF);
    info["id"].as_str().unwrap().to_owned()
}

async fn files_round_trip_on_local_disk(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    round_trip(&app).await;
    // Stored under a random key, never the client's name.
    let files_dir = app.db.dir.path().join("data/files/officer_document");
    let stored: Vec<_> = walk(&files_dir);
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains("degree"), "{stored:?}");
    assert_eq!(std::fs::read(&stored[0]).unwrap(), PDF);
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.display().to_string());
        }
    }
    out
}

async fn files_round_trip_on_s3(backend: Backend) {
    let s3 = S3Server::start().await;
    let files = format!("s3://{}", s3.bucket);
    let app = TestApp::spawn_with(
        backend,
        &[
            ("ANJOMAN_FILES", &files),
            ("ANJOMAN_S3_ENDPOINT", &s3.endpoint),
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
        ],
        &[],
    )
    .await;
    round_trip(&app).await;
    let keys = s3.keys().await;
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert!(keys[0].starts_with("officer_document/") && keys[0].ends_with(".pdf") && !keys[0].contains("degree"));
}

async fn uploads_are_checked_and_downloads_authorised(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, owner) = app.signed_in_person().await;
    let owner = owner["access_token"].as_str().unwrap().to_owned();
    // A Windows executable named .pdf, HTML, an empty body, a PDF as a photo: refused.
    let exe =
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode".to_vec();
    upload(&app, &owner, "attachment", "invoice.pdf", exe).await.expect_error(400, "unsupported_file_type");
    upload(&app, &owner, "attachment", "a.pdf", b"<html><script>alert(1)</script>".to_vec())
        .await
        .expect_error(400, "unsupported_file_type");
    upload(&app, &owner, "attachment", "a.pdf", Vec::new()).await.expect_error(400, "empty_file");
    upload(&app, &owner, "profile_photo", "me.png", PDF.to_vec()).await.expect_error(400, "unsupported_file_type");
    upload(&app, &owner, "nonsense", "a.pdf", PDF.to_vec()).await.expect_error(400, "validation_failed");
    let mut big = PDF.to_vec();
    big.resize(5 * 1024 * 1024 + 1, b' ');
    upload(&app, &owner, "candidate_resume", "cv.pdf", big).await.expect_error(400, "file_too_large");
    let anon = app.send(app.client.post(app.url("/api/v1/files?purpose=attachment")).body(PDF.to_vec())).await;
    anon.expect_error(401, "unauthorized");
    assert_eq!(app.count("files"), 0);

    let private = upload(&app, &owner, "attachment", "a.pdf", PDF.to_vec()).await.expect_status(201)["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let public = upload(&app, &owner, "candidate_resume", "cv.pdf", PDF.to_vec()).await.expect_status(201)["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, other) = app.signed_in_person().await;
    let other = other["access_token"].as_str().unwrap();
    app.get(&private, Some(other)).await.expect_error(403, "forbidden");
    app.get(&private, None).await.expect_error(401, "unauthorized");
    let res = app.client.get(app.url(&public)).send().await.unwrap();
    assert_eq!(res.status(), 200, "a candidate's résumé is public");
    app.get("/api/v1/files/no-such-file", Some(&owner)).await.expect_error(404, "not_found");
    let _ = json!({});
}
