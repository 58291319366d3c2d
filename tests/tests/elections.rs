//! Elections (EL-01..13): set-up, the trustees' key ceremony, the worker opening and closing on
//! the server clock, the frozen roll, voting with codes by e-mail and by inbound SMS with
//! encrypted ballots checked by their proofs, one ballot under 50 concurrent requests, secrecy of
//! the stored ballot, the tally from the trustees' partial decryptions, results and the election
//! record checked by `anjoman verify-election`; on both backends.

use std::time::Duration;

use anjoman_ballot_crypto::ceremony::transport_keypair;
use anjoman_ballot_crypto::elgamal;
use anjoman_ballot_crypto::proofs::RangeProof;
use anjoman_ballot_crypto::record::{ElectionRecord, verify_record};
use anjoman_ballot_crypto::threshold::Polynomial;
use anjoman_ballot_crypto::wire::{self, BallotJson, TransportKeyJson};
use anjoman_tests::fakes::sign;
use anjoman_tests::{Backend, GOOD_PASSWORD, INBOUND_SMS_SECRET, TestApp, fresh_national_code, on_both_backends};
use chrono::Utc;
use diesel::prelude::*;
use serde_json::{Value, json};

on_both_backends!(
    an_election_runs_from_draft_to_published_results,
    fifty_concurrent_casts_make_one_ballot,
    stored_ballots_cannot_be_linked_to_voters,
    three_processes_open_and_close_an_election_once,
    an_undelivered_sms_code_goes_by_email,
);

mod support;
use support::*;

const TICK: &[(&str, &str)] = &[("ANJOMAN_ELECTION_TICK_MS", "200")];

async fn an_election_runs_from_draft_to_published_results(backend: Backend) {
    let app = TestApp::spawn_with(backend, TICK, &["--demo"]).await;
    let (aid, admin, members) = association(&app, "el-flow", 4).await;
    let outsider = person(&app, "بیرونی").await;
    let url = format!("/api/v1/associations/{aid}/elections");

    let bad = app
        .post(&url, Some(&admin.token), &json!({"title": "", "starts_at": at(-10), "ends_at": at(-20), "contests": []}))
        .await;
    let fields = bad.expect_error(400, "validation_failed")["fields"].clone();
    assert!(fields["title"].is_array() && fields["ends_at"].is_array() && fields["contests"].is_array(), "{fields}");
    let no_trustees = json!({"title": "x", "starts_at": at(60), "ends_at": at(120), "contests": [{"title": "x", "seats": 1, "max_selections": 1}], "trustees": [outsider.code, outsider.code, "123"], "trustee_threshold": 4});
    let fields =
        app.post(&url, Some(&admin.token), &no_trustees).await.expect_error(400, "validation_failed")["fields"].clone();
    assert!(
        fields["trustees[1]"].is_array() && fields["trustees[2]"].is_array() && fields["trustee_threshold"].is_array(),
        "{fields}"
    );
    assert_eq!(app.count("elections WHERE title = 'x'"), 0, "nothing created");
    // Three trustees, any two of whom decrypt.
    let trustees = [&admin, &members[3], &outsider];
    let body = json!({
        "title": "انتخابات هیئت‌مدیره ۱۴۰۵",
        "description": "دورهٔ سه‌ساله",
        "trustees": [admin.code, members[3].code, outsider.code],
        "trustee_threshold": 2,
        "starts_at": at(6),
        "ends_at": at(16),
        "contests": [
            {"title": "هیئت‌مدیره", "seats": 2, "alternates": 1, "max_selections": 2},
            {"title": "بازرس", "seats": 1, "max_selections": 1}
        ]
    });
    app.post(&url, Some(&outsider.token), &body).await.expect_error(403, "forbidden");
    let created = app.post(&url, Some(&admin.token), &body).await;
    let election = created.expect_status(201).clone();
    let id = election["id"].as_str().unwrap().to_owned();
    assert_eq!(election["status"], "draft");
    let board = election["contests"][0]["id"].as_str().unwrap().to_owned();
    let inspector = election["contests"][1]["id"].as_str().unwrap().to_owned();
    app.get(&format!("/api/v1/elections/{id}"), None).await.expect_error(404, "not_found");

    // Candidates: approved members only, one election code each.
    let cand_url = format!("/api/v1/elections/{id}/candidates");
    let add = |contest: &str, who: &str, code: &str| json!({"contest_id": contest, "national_code": who, "election_code": code, "university": "دانشگاه تهران", "academic_rank": "دانشیار"});
    app.post(&cand_url, Some(&admin.token), &add(&board, &outsider.code, "9"))
        .await
        .expect_error(400, "validation_failed");
    app.post(&format!("/api/v1/elections/{id}/publish"), Some(&admin.token), &json!({}))
        .await
        .expect_error(400, "validation_failed");
    for (i, m) in members.iter().take(3).enumerate() {
        app.post(&cand_url, Some(&admin.token), &add(&board, &m.code, &format!("1{i}"))).await.expect_status(201);
    }
    app.post(&cand_url, Some(&admin.token), &add(&inspector, &members[3].code, "10"))
        .await
        .expect_error(409, "election_code_taken");
    let full = app.post(&cand_url, Some(&admin.token), &add(&inspector, &members[3].code, "20")).await;
    let contests = full.expect_status(201)["contests"].clone();
    let cands: Vec<String> =
        contests[0]["candidates"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
    let inspector_cand = contests[1]["candidates"][0]["id"].as_str().unwrap().to_owned();

    // EL-10: no publishing before the trustees have made the key; each step checked.
    app.post(&format!("/api/v1/elections/{id}/publish"), Some(&admin.token), &json!({}))
        .await
        .expect_error(409, "key_ceremony_incomplete");
    let (_, key, proof) = transport_keypair(&id, 1);
    let stranger = TransportKeyJson { trustee: 1, key: wire::point_hex(&key), proof: wire::schnorr_json(&proof) };
    app.post(
        &format!("/api/v1/elections/{id}/ceremony/transport"),
        Some(&members[0].token),
        &json!({"transport": stranger}),
    )
    .await
    .expect_error(403, "not_a_trustee");
    let (_, key, proof) = transport_keypair(&id, 1);
    let misplaced = TransportKeyJson { trustee: 2, key: wire::point_hex(&key), proof: wire::schnorr_json(&proof) };
    app.post(
        &format!("/api/v1/elections/{id}/ceremony/transport"),
        Some(&admin.token),
        &json!({"transport": misplaced}),
    )
    .await
    .expect_error(400, "validation_failed");
    let early = wire::dealing_json(&Polynomial::random(1, 2).dealing(&id), &[]);
    app.post(&format!("/api/v1/elections/{id}/ceremony/dealing"), Some(&admin.token), &json!({"dealing": early}))
        .await
        .expect_error(409, "ceremony_waiting");
    app.get(&format!("/api/v1/elections/{id}/ceremony"), Some(&members[0].token)).await.expect_error(404, "not_found");
    let duty = |who: &Person| {
        let (app, id, token) = (&app, id.clone(), who.token.clone());
        async move {
            let all = app.get("/api/v1/trusteeships", Some(&token)).await;
            all.expect_status(200)["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["election_id"] == id.as_str())
                .cloned()
        }
    };
    assert_eq!(duty(&outsider).await.unwrap()["action_needed"], true, "a trustee finds the draft's ceremony");
    assert!(duty(&members[0]).await.is_none());
    let shares = ceremony(&app, &id, &trustees, 2).await;
    assert_eq!(duty(&outsider).await.unwrap()["action_needed"], false);
    let again = app.get(&format!("/api/v1/elections/{id}/ceremony"), Some(&outsider.token)).await;
    assert_eq!((again.expect_status(200)["phase"].clone(), again.body["me"].clone()), (json!("done"), json!(3)));
    app.patch(
        &format!("/api/v1/elections/{id}"),
        Some(&admin.token),
        &json!({"trustees": [admin.code], "trustee_threshold": 1}),
    )
    .await
    .expect_error(409, "ceremony_started");

    let announcements = app.count("outbox_messages");
    app.post(&format!("/api/v1/elections/{id}/extend"), Some(&admin.token), &json!({"ends_at": at(30), "reason": "x"}))
        .await
        .expect_error(409, "wrong_election_state");
    let published = app.post(&format!("/api/v1/elections/{id}/publish"), Some(&admin.token), &json!({})).await;
    assert_eq!(published.expect_status(200)["status"], "published");
    assert!(app.count("outbox_messages") >= announcements + 8, "announcement by e-mail and SMS to the 4 members");
    assert_eq!(app.get(&format!("/api/v1/elections/{id}"), None).await.expect_status(200)["electorate"], 4);
    let code_early = app
        .post(&format!("/api/v1/elections/{id}/vote-code"), Some(&members[0].token), &json!({"channel": "email"}))
        .await;
    code_early.expect_error(409, "voting_closed");
    let early_ballot = encrypted(&app, &id, &[]).await;
    cast(&app, &members[0].token, &id, &early_ballot, "123456").await.expect_error(409, "voting_closed");

    // The worker opens it on the server clock and freezes the roll.
    let open = wait_for_status(&app, &id, "open").await;
    assert_eq!((open["roll_frozen"].clone(), open["electorate"].clone()), (json!(true), json!(4)));
    let late = person(&app, "دیرآمده").await;
    approve(&app, &aid, &admin, &late).await;
    assert_eq!(
        app.get(&format!("/api/v1/elections/{id}"), None).await.body["electorate"],
        4,
        "late approvals do not change the roll"
    );
    for who in [&late, &outsider] {
        let refused = app
            .post(&format!("/api/v1/elections/{id}/vote-code"), Some(&who.token), &json!({"channel": "email"}))
            .await;
        assert!(refused.expect_error(403, "not_on_roll")["message"].as_str().unwrap().contains("عضو این انجمن نیستید"));
    }
    app.patch(&format!("/api/v1/elections/{id}"), Some(&admin.token), &json!({"title": "x"}))
        .await
        .expect_error(409, "wrong_election_state");
    // ID-10: the personal page is locked while the election is open.
    app.patch("/api/v1/me", Some(&members[0].token), &json!({"first_name": "تغییر"}))
        .await
        .expect_error(409, "profile_locked");
    // ... and SMS recovery (ID-05 option 2) is refused.
    app.post("/api/v1/auth/recovery/sms", None, &json!({"national_code": members[0].code}))
        .await
        .expect_error(409, "sms_recovery_unavailable");
    // ... and so is the password (guide 001: changed only before voting opens); the current one
    // still signs in, and a person outside the association changes theirs.
    let change = json!({"current_password": GOOD_PASSWORD, "new_password": "Another-Pass-1405"});
    let locked = app.post("/api/v1/auth/change-password", Some(&members[1].token), &change).await;
    assert!(locked.expect_error(409, "password_locked")["message"].as_str().unwrap().contains("پیش از آغاز رأی‌گیری"));
    app.login(&members[1].code, GOOD_PASSWORD).await.expect_status(200);
    let stranger = person(&app, "بیرونی").await;
    app.post("/api/v1/auth/change-password", Some(&stranger.token), &change).await.expect_status(204);

    // Voter 0 and voter 1 ask for codes by e-mail; a code of another voter does not work.
    let (v0, v1, v2) = (&members[0], &members[1], &members[2]);
    for v in [v0, v1] {
        let issued =
            app.post(&format!("/api/v1/elections/{id}/vote-code"), Some(&v.token), &json!({"channel": "email"})).await;
        assert!(issued.expect_status(201)["sent_to"].as_str().unwrap().contains("***"));
    }
    let (code0, code1) = (emailed_code(&app, &v0.email), emailed_code(&app, &v1.email));
    let good = encrypted(&app, &id, &[&cands[0], &cands[1], &inspector_cand]).await;
    cast(&app, &v1.token, &id, &good, &code0).await.expect_error(400, "validation_failed");
    // Plaintext choices are not a ballot.
    let plain = json!({"choices": { board.clone(): [cands[0]] }, "code": code0});
    assert_eq!(app.post(&format!("/api/v1/elections/{id}/ballot"), Some(&v0.token), &plain).await.status, 400);
    // A ballot made for another election (the demo's open one) is refused by its proofs.
    let running = app.get("/api/v1/elections?when=running", None).await;
    let other =
        running.expect_status(200)["items"].as_array().unwrap().iter().find(|e| e["id"] != id.as_str()).cloned();
    let other_id = other.expect("the demo election")["id"].as_str().unwrap().to_owned();
    let mut foreign: BallotJson = serde_json::from_value(good.clone()).unwrap();
    foreign.election = other_id;
    let refused = cast(&app, &v0.token, &id, &serde_json::to_value(&foreign).unwrap(), &code0).await;
    assert!(refused.expect_error(400, "validation_failed")["fields"]["ballot"].is_array());
    // Three on a board of at most two: the sum proof fails.
    let too_many = encrypted(&app, &id, &[&cands[0], &cands[1], &cands[2]]).await;
    cast(&app, &v0.token, &id, &too_many, &code0).await.expect_error(400, "validation_failed");
    // A 2 in one slot (two votes for one candidate), with a proof made for 0..=2: refused.
    let (shape, y) = ballot_shape(&app, &id).await;
    let mut twice: BallotJson = serde_json::from_value(good.clone()).unwrap();
    let r = anjoman_ballot_crypto::random_scalar();
    let two = elgamal::encrypt_with(&y, 2, &r);
    let label = format!("{}/choice-0", shape[0].id);
    twice.contests[0].choices[0] = wire::ct_json(&two);
    twice.contests[0].choice_proofs[0] = wire::proof_json(&RangeProof::prove(&id, &label, &y, &two, 2, &r, 2));
    cast(&app, &v0.token, &id, &serde_json::to_value(&twice).unwrap(), &code0)
        .await
        .expect_error(400, "validation_failed");
    // One changed digit in a proof.
    let mut changed: BallotJson = serde_json::from_value(good.clone()).unwrap();
    let proof = &mut changed.contests[1].sum_proof;
    proof.replace_range(5..6, if &proof[5..6] == "A" { "B" } else { "A" });
    cast(&app, &v0.token, &id, &serde_json::to_value(&changed).unwrap(), &code0)
        .await
        .expect_error(400, "validation_failed");
    let wrong = if code0 == "000000" { "111111" } else { "000000" };
    cast(&app, &v0.token, &id, &good, wrong).await.expect_error(400, "validation_failed");
    assert_eq!((app.count("ballots"), app.count("participations")), (0, 0), "nothing stored by refusals");

    let receipt = cast(&app, &v0.token, &id, &good, &code0).await;
    let tracking = receipt.expect_status(201)["tracking_code"].as_str().unwrap().to_owned();
    assert_eq!(tracking, wire::tracker(&serde_json::from_value(good.clone()).unwrap()), "the hash of the ballot");
    cast(&app, &v0.token, &id, &good, &code0).await.expect_error(409, "already_voted");
    // Someone else's encrypted ballot, replayed: refused, and the code not used up.
    cast(&app, &v1.token, &id, &good, &code1).await.expect_error(409, "duplicate_ballot");
    let blank_board = encrypted(&app, &id, &[&inspector_cand]).await;
    cast(&app, &v1.token, &id, &blank_board, &code1).await.expect_status(201);
    let bulletin = app.get(&format!("/api/v1/elections/{id}/bulletin"), None).await;
    assert!(bulletin.expect_status(200)["tracking_codes"].as_array().unwrap().iter().any(|t| t == tracking.as_str()));
    let entry = app.get(&format!("/api/v1/elections/{id}/bulletin/{tracking}"), None).await;
    assert_eq!(entry.expect_status(200)["ballot"], good, "the bulletin holds the ballot as cast");
    app.get(&format!("/api/v1/elections/{id}/bulletin/nothing-like-it"), None).await.expect_error(404, "not_found");
    // The database holds ciphertexts only: no candidate id in any stored ballot.
    {
        use anjoman_core::db::schema::ballots as b;
        let mut conn = app.db.connect();
        let stored: Vec<String> = b::table.select(b::content).load(&mut conn).unwrap();
        assert!(stored.iter().all(|x| cands.iter().chain([&inspector_cand]).all(|c| !x.contains(c.as_str()))));
    }

    // Voter 2 confirms by texting the code shown on screen from the registered mobile.
    let shown =
        app.post(&format!("/api/v1/elections/{id}/vote-code"), Some(&v2.token), &json!({"channel": "inbound"})).await;
    let shown_code = shown.expect_status(201)["code"].as_str().unwrap().to_owned();
    let only_first = encrypted(&app, &id, &[&cands[0]]).await;
    cast(&app, &v2.token, &id, &only_first, &shown_code).await.expect_error(409, "sms_not_arrived");
    let webhook = json!({"message_id": format!("m-{}", fresh_national_code()), "from": v2.mobile, "to": "10004346", "text": shown_code});
    let raw = serde_json::to_vec(&webhook).unwrap();
    let signed = app
        .client
        .post(app.url("/api/v1/sms/inbound"))
        .header("content-type", "application/json")
        .header("x-anjoman-signature", sign(INBOUND_SMS_SECRET, &raw))
        .body(raw);
    app.send(signed).await.expect_status(200);
    let mine = app.get(&format!("/api/v1/elections/{id}/my-vote"), Some(&v2.token)).await;
    assert_eq!(mine.expect_status(200)["confirmed_by_sms"], true);
    cast(&app, &v2.token, &id, &only_first, &shown_code).await.expect_status(201);

    let turnout = app.get(&format!("/api/v1/elections/{id}/turnout"), Some(&admin.token)).await;
    assert_eq!((turnout.expect_status(200)["voted"].clone(), turnout.body["roll_size"].clone()), (json!(3), json!(4)));
    app.get(&format!("/api/v1/elections/{id}/turnout"), Some(&v0.token)).await.expect_error(403, "forbidden");
    app.get(&format!("/api/v1/elections/{id}/results"), Some(&admin.token))
        .await
        .expect_error(409, "results_not_available");
    app.post(&format!("/api/v1/elections/{id}/tally"), Some(&admin.token), &json!({}))
        .await
        .expect_error(409, "wrong_election_state");
    let end: chrono::DateTime<Utc> = open["ends_at"].as_str().unwrap().parse().unwrap();
    let later = (end + chrono::Duration::seconds(2)).to_rfc3339();
    app.post(&format!("/api/v1/elections/{id}/extend"), Some(&admin.token), &json!({"ends_at": at(1), "reason": "x"}))
        .await
        .expect_error(400, "validation_failed");
    let extended = app
        .post(
            &format!("/api/v1/elections/{id}/extend"),
            Some(&admin.token),
            &json!({"ends_at": later, "reason": "قطعی اینترنت"}),
        )
        .await;
    assert_ne!(extended.expect_status(200)["ends_at"], open["ends_at"]);

    // Closed by the worker; counted; published.
    wait_for_status(&app, &id, "closed").await;
    // Once voting has closed the password changes again.
    app.post("/api/v1/auth/change-password", Some(&members[1].token), &change).await.expect_status(204);
    cast(&app, &members[3].token, &id, &early_ballot, "123456").await.expect_error(409, "voting_closed");
    // The count needs two trustees' partial decryptions, each checked by its proof.
    let tally = format!("/api/v1/elections/{id}/tally");
    app.post(&tally, Some(&admin.token), &json!({})).await.expect_error(409, "awaiting_trustees");
    decrypt(&app, &id, &members[0], 1, &shares[0]).await.expect_error(403, "not_a_trustee");
    decrypt(&app, &id, &outsider, 3, &shares[0]).await.expect_error(400, "validation_failed");
    decrypt(&app, &id, &outsider, 3, &shares[2]).await.expect_status(200);
    decrypt(&app, &id, &outsider, 3, &shares[2]).await.expect_error(409, "already_done");
    app.post(&tally, Some(&admin.token), &json!({})).await.expect_error(409, "awaiting_trustees");
    decrypt(&app, &id, &admin, 1, &shares[0]).await.expect_status(200);
    let results = app.post(&tally, Some(&admin.token), &json!({})).await;
    let r = results.expect_status(200).clone();
    assert_eq!((r["voted"].clone(), r["roll_size"].clone()), (json!(3), json!(4)));
    let board_result = &r["contests"][0];
    assert_eq!((board_result["ballots"].clone(), board_result["blank"].clone()), (json!(3), json!(1)));
    let votes = |cid: &str| {
        board_result["candidates"].as_array().unwrap().iter().find(|c| c["candidate_id"] == cid).unwrap().clone()
    };
    assert_eq!((votes(&cands[0])["votes"].clone(), votes(&cands[0])["outcome"].clone()), (json!(2), json!("elected")));
    assert_eq!((votes(&cands[1])["votes"].clone(), votes(&cands[1])["outcome"].clone()), (json!(1), json!("elected")));
    assert_eq!(votes(&cands[2])["votes"], 0);
    assert_eq!(r["contests"][1]["candidates"][0]["votes"], 2);
    app.get(&format!("/api/v1/elections/{id}/results"), None).await.expect_error(409, "results_not_available");
    let commission_admin = commission(&app).await;
    let hook = anjoman_tests::fakes::WebhookReceiver::start(0).await;
    let subscription = json!({"owner": "commission", "url": hook.url(), "events": ["election.results_published"]});
    app.post("/api/v1/integrations/webhooks", Some(&commission_admin), &subscription).await.expect_status(201);
    let expires = (chrono::Utc::now().date_naive() + chrono::Duration::days(9)).to_string();
    let key = json!({"name": "News agency", "owner": "commission", "scopes": ["results:read"], "expires_on": expires});
    let key = app.post("/api/v1/integrations/keys", Some(&commission_admin), &key).await.expect_status(201)["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let by_key = |key: String| {
        let url = app.url(&format!("/api/v1/integrations/elections/{id}/results"));
        let app = &app;
        async move { app.send(app.client.get(url).header("X-Api-Key", key)).await }
    };
    by_key(key.clone()).await.expect_error(409, "results_not_available");
    app.post(&format!("/api/v1/elections/{id}/publish-results"), Some(&admin.token), &json!({}))
        .await
        .expect_status(200);
    assert_eq!(by_key(key).await.expect_status(200)["voted"], 3, "published results by key");
    let heard = hook.wait_for_calls(1, std::time::Duration::from_secs(15)).await;
    let event: Value = serde_json::from_str(&heard[0].body).unwrap();
    assert_eq!(
        (event["type"].as_str(), event["data"]["election_id"].as_str()),
        (Some("election.results_published"), Some(id.as_str()))
    );
    // EL-13: the reminder before closing and the results notice went through the outbox.
    let purposes = |purpose: &str| {
        use anjoman_core::db::schema::outbox_messages as om;
        let mut conn = app.db.connect();
        om::table.filter(om::purpose.eq(purpose)).count().get_result::<i64>(&mut conn).unwrap()
    };
    assert!(purposes("election_reminder") > 0, "a reminder before closing");
    assert_eq!(purposes("election_results"), 10, "e-mail and SMS to the five approved members");
    let public = app.get(&format!("/api/v1/elections/{id}/results"), None).await;
    assert_eq!(public.expect_status(200)["contests"][0]["ballots"], 3);
    let csv = app.client.get(app.url(&format!("/api/v1/elections/{id}/results.csv"))).send().await.unwrap();
    assert!(csv.text().await.unwrap().contains("elected"));
    // The election record checks out, by the library and by `anjoman verify-election`; a changed
    // count does not.
    let record = app.client.get(app.url(&format!("/api/v1/elections/{id}/record"))).send().await.unwrap();
    let record: ElectionRecord = record.json().await.unwrap();
    assert_eq!((record.ballots.len(), record.partial_decryptions.len()), (3, 2));
    verify_record(&record).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.json");
    std::fs::write(&path, serde_json::to_string(&record).unwrap()).unwrap();
    let ok = std::process::Command::new(anjoman_tests::binary()).arg("verify-election").arg(&path).output().unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("3 ballots"));
    let mut forged = record.clone();
    forged.counts[0].choices[0] += 1;
    std::fs::write(&path, serde_json::to_string(&forged).unwrap()).unwrap();
    let bad = std::process::Command::new(anjoman_tests::binary()).arg("verify-election").arg(&path).output().unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("counts of"), "{}", String::from_utf8_lossy(&bad.stderr));
    let past = app.get("/api/v1/elections?when=past", None).await;
    assert!(past.expect_status(200)["items"].as_array().unwrap().iter().any(|e| e["id"] == id.as_str()));
    // The lock is lifted once voting closed.
    app.patch("/api/v1/me", Some(&v0.token), &json!({"first_name": "تغییر"})).await.expect_status(200);

    let actions = audit_actions(&app, &commission(&app).await, &id).await;
    for a in [
        "election.created",
        "election.published",
        "election.opened",
        "election.roll_frozen",
        "election.extended",
        "election.closed",
        "election.trustee_transport",
        "election.trustee_dealing",
        "election.trustee_confirmed",
        "election.trustee_decrypted",
        "election.tallied",
        "election.results_published",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
}

async fn fifty_concurrent_casts_make_one_ballot(backend: Backend) {
    // Fifty casts by one voter would meet the per-account ballot limit (20 in ten minutes);
    // this test is about the race, so the limits are lifted.
    let env = [TICK[0], ("ANJOMAN_RATE_LIMITS", "off")];
    let app = TestApp::spawn_with(backend, &env, &["--demo"]).await;
    let (aid, admin, members) = association(&app, "el-race", 1).await;
    let voter = &members[0];
    let (id, _, cand) = published(&app, &aid, &admin, voter, 3, 120).await;
    // Several devices: several sessions of the same voter.
    let mut tokens = vec![voter.token.clone()];
    for _ in 0..4 {
        tokens.push(
            app.login(&voter.code, GOOD_PASSWORD).await.expect_status(200)["access_token"].as_str().unwrap().to_owned(),
        );
    }
    wait_for_status(&app, &id, "open").await;
    app.post(&format!("/api/v1/elections/{id}/vote-code"), Some(&voter.token), &json!({"channel": "email"}))
        .await
        .expect_status(201);
    let code = emailed_code(&app, &voter.email);
    // Each device encrypts its own ballot (different ciphertexts, different trackers).
    let mut ballots = Vec::new();
    for _ in 0..50 {
        ballots.push(encrypted(&app, &id, &[&cand]).await);
    }
    let attempts = ballots.iter().enumerate().map(|(i, ballot)| {
        let (app, token, id, code) = (&app, tokens[i % tokens.len()].clone(), id.clone(), code.clone());
        async move { cast(app, &token, &id, ballot, &code).await }
    });
    let answers = futures_util::future::join_all(attempts).await;
    let created = answers.iter().filter(|a| a.status == 201).count();
    let refused: Vec<_> = answers.iter().filter(|a| a.status != 201).collect();
    assert_eq!(created, 1, "{:?}", answers.iter().map(|a| (a.status, a.body["code"].clone())).collect::<Vec<_>>());
    assert!(
        refused.iter().all(|a| a.status == 409 && a.body["code"] == "already_voted"),
        "{:?}",
        refused.iter().map(|a| (a.status, a.body.clone())).collect::<Vec<_>>()
    );
    assert_eq!((app.count("ballots"), app.count("participations")), (1, 1));
}

async fn stored_ballots_cannot_be_linked_to_voters(backend: Backend) {
    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        kind: String,
    }
    let app = TestApp::spawn(backend).await;
    let mut conn = app.db.connect();
    let columns = |conn: &mut anjoman_core::db::DbConn, table: &str| -> Vec<Column> {
        let sql = match backend {
            Backend::Sqlite => format!("SELECT name, type AS kind FROM pragma_table_info('{table}')"),
            Backend::Postgres => format!(
                "SELECT column_name::text AS name, data_type::text AS kind FROM information_schema.columns WHERE table_name = '{table}' AND table_schema = current_schema()"
            ),
        };
        diesel::sql_query(sql).load(conn).expect("columns")
    };
    let ballot = columns(&mut conn, "ballots");
    let mut names: Vec<&str> = ballot.iter().map(|c| c.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["content", "election_id", "id", "tracking_code"], "no person, time or sequence in a ballot");
    assert!(
        ballot.iter().all(|c| !c.kind.to_lowercase().contains("time") && !c.kind.to_lowercase().contains("int")),
        "no times or counters"
    );
    let mut who: Vec<String> = columns(&mut conn, "participations").into_iter().map(|c| c.name).collect();
    who.sort();
    assert_eq!(who, ["election_id", "person_id"], "participation carries no ballot id and no time");
    if backend == Backend::Sqlite {
        #[derive(QueryableByName)]
        struct Sql {
            #[diesel(sql_type = diesel::sql_types::Text)]
            sql: String,
        }
        let ddl: Vec<Sql> =
            diesel::sql_query("SELECT sql FROM sqlite_master WHERE name IN ('ballots', 'participations')")
                .load(&mut conn)
                .unwrap();
        assert!(ddl.iter().all(|d| d.sql.contains("WITHOUT ROWID")), "no insertion-ordered rowid");
    }
}

async fn three_processes_open_and_close_an_election_once(backend: Backend) {
    let first = TestApp::spawn_with(backend, TICK, &["--demo"]).await;
    let second = TestApp::spawn_sharing(&first, TICK).await;
    let third = TestApp::spawn_sharing(&first, TICK).await;
    let (aid, admin, members) = association(&first, "el-procs", 3).await;
    let (id, _, _) = published(&first, &aid, &admin, &members[0], 3, 6).await;
    wait_for_status(&second, &id, "closed").await;
    assert_lifecycle_once(&first, &commission(&first).await, &id).await;
    assert_eq!(third.count(&format!("voter_roll WHERE election_id = '{id}'")), 3, "the roll frozen once");
    assert_eq!(first.get(&format!("/api/v1/elections/{id}"), None).await.body["electorate"], 3);
}

async fn an_undelivered_sms_code_goes_by_email(backend: Backend) {
    let env = [("ANJOMAN_ELECTION_TICK_MS", "200"), ("ANJOMAN_VOTE_SMS_FALLBACK_SECONDS", "1")];
    let app = TestApp::spawn_with(backend, &env, &["--demo"]).await;
    let (aid, admin, members) = association(&app, "el-fallback", 1).await;
    let voter = &members[0];
    let (id, _, cand) = published(&app, &aid, &admin, voter, 3, 120).await;
    // A password equal to the national code (an issued one) is refused before anything else.
    let forced =
        app.login("0010350829", "0010350829").await.expect_status(200)["access_token"].as_str().unwrap().to_owned();
    app.post(&format!("/api/v1/elections/{id}/vote-code"), Some(&forced), &json!({"channel": "sms"}))
        .await
        .expect_error(403, "password_change_required");
    wait_for_status(&app, &id, "open").await;
    let sent =
        app.post(&format!("/api/v1/elections/{id}/vote-code"), Some(&voter.token), &json!({"channel": "sms"})).await;
    assert!(sent.expect_status(201)["sent_to"].as_str().unwrap().contains("****"));
    // The log SMS provider never reports delivery: after the fallback time the code goes by e-mail.
    let mut code = None;
    for _ in 0..100 {
        {
            use anjoman_core::db::schema::outbox_messages as om;
            let mut conn = app.db.connect();
            let n: i64 = om::table
                .filter(om::recipient.eq(&voter.email))
                .filter(om::purpose.eq("vote_code"))
                .count()
                .get_result(&mut conn)
                .unwrap();
            if n > 0 {
                code = Some(emailed_code(&app, &voter.email));
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let code = code.expect("the SMS code was e-mailed");
    let ballot = encrypted(&app, &id, &[&cand]).await;
    cast(&app, &voter.token, &id, &ballot, &code).await.expect_status(201);
}
