//! Helpers shared by the test files that run elections: people, an association with approved
//! members, an election through its key ceremony to publication, codes read from the outbox,
//! ballots encrypted as the browser encrypts them. Each test file uses a part of them.
#![allow(dead_code)]

use std::time::Duration;

use anjoman_ballot_crypto::Scalar;
use anjoman_ballot_crypto::ceremony::{combine_shares, encrypt_share, transport_keypair};
use anjoman_ballot_crypto::proofs::encrypt_contest;
use anjoman_ballot_crypto::record::{ContestParams, decrypt_aggregate};
use anjoman_ballot_crypto::threshold::Polynomial;
use anjoman_ballot_crypto::wire::{self, BallotJson, DealingJson, TransportKeyJson};
use anjoman_tests::{Answer, GOOD_PASSWORD, TestApp, fresh_national_code};
use chrono::Utc;
use diesel::prelude::*;
use serde_json::{Value, json};

pub async fn commission(app: &TestApp) -> String {
    app.login("0084575948", "Anjoman-Demo-1403").await.expect_status(200)["access_token"].as_str().unwrap().to_owned()
}

pub struct Person {
    pub code: String,
    pub token: String,
    pub email: String,
    pub mobile: String,
}

pub async fn person(app: &TestApp, first: &str) -> Person {
    let code = fresh_national_code();
    let email = format!("{}@example.ir", &code);
    let mobile = format!("0912{}", &code[..7]);
    let body = json!({"national_code": code, "password": GOOD_PASSWORD, "first_name": first, "last_name": "آزمون", "email": email, "mobile": mobile});
    app.post("/api/v1/auth/register", None, &body).await.expect_status(201);
    let token = app.login(&code, GOOD_PASSWORD).await.expect_status(200)["access_token"].as_str().unwrap().to_owned();
    Person { code, token, email, mobile }
}

/// An association with its admin and `n` approved members.
pub async fn association(app: &TestApp, code: &str, n: usize) -> (String, Person, Vec<Person>) {
    let commission = commission(app).await;
    let created = app
        .post("/api/v1/associations", Some(&commission), &json!({"code": code, "name": format!("انجمن {code}")}))
        .await;
    let id = created.expect_status(201)["id"].as_str().unwrap().to_owned();
    let admin = person(app, "مدیر").await;
    app.post(&format!("/api/v1/associations/{id}/admins"), Some(&commission), &json!({"national_code": admin.code}))
        .await
        .expect_status(204);
    let quals = json!([{"field": "انفورماتیک پزشکی", "degree_level": "master"}]);
    app.put(&format!("/api/v1/associations/{id}/qualifications"), Some(&admin.token), &quals).await.expect_status(200);
    let mut members = Vec::new();
    for i in 0..n {
        let p = person(app, &format!("عضو{i}")).await;
        approve(app, &id, &admin, &p).await;
        members.push(p);
    }
    (id, admin, members)
}

pub async fn approve(app: &TestApp, association: &str, admin: &Person, p: &Person) {
    app.post(
        &format!("/api/v1/associations/{association}/members"),
        Some(&admin.token),
        &json!({"national_code": p.code, "field": "انفورماتیک پزشکی", "degree_level": "master"}),
    )
    .await
    .expect_status(201);
}

pub fn at(seconds: i64) -> String {
    (Utc::now() + chrono::Duration::seconds(seconds)).to_rfc3339()
}

/// The newest voting code e-mailed to this address, read from the outbox.
pub fn emailed_code(app: &TestApp, email: &str) -> String {
    sent_code(app, email, "vote_code")
}

/// The newest six-digit code sent to this address or number for `purpose`, read from the outbox.
pub fn sent_code(app: &TestApp, recipient: &str, purpose: &str) -> String {
    use anjoman_core::db::schema::outbox_messages as om;
    let mut conn = app.db.connect();
    let body: String = om::table
        .filter(om::recipient.eq(recipient))
        .filter(om::purpose.eq(purpose))
        .order(om::created_at.desc())
        .select(om::body)
        .first(&mut conn)
        .expect("a code was e-mailed");
    let digits: String = body.split(':').nth(1).unwrap().chars().filter(char::is_ascii_digit).take(6).collect();
    assert_eq!(digits.len(), 6, "{body}");
    digits
}

pub async fn wait_for_status(app: &TestApp, id: &str, status: &str) -> Value {
    for _ in 0..150 {
        let e = app.get(&format!("/api/v1/elections/{id}"), None).await;
        if e.body["status"] == status {
            return e.body.clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("election {id} never became {status}");
}

pub async fn cast(app: &TestApp, token: &str, id: &str, ballot: &Value, code: &str) -> Answer {
    app.post(&format!("/api/v1/elections/{id}/ballot"), Some(token), &json!({"ballot": ballot, "code": code})).await
}

/// The key ceremony over the API, each trustee doing its part (as the browser does) with its
/// secrets kept here; returns each trustee's key share.
pub async fn ceremony(app: &TestApp, id: &str, trustees: &[&Person], threshold: u32) -> Vec<Scalar> {
    let url = |step: &str| format!("/api/v1/elections/{id}/ceremony/{step}");
    let mut secrets = Vec::new();
    for (i, t) in trustees.iter().enumerate() {
        let j = i as u32 + 1;
        let (secret, key, proof) = transport_keypair(id, j);
        let body = TransportKeyJson { trustee: j, key: wire::point_hex(&key), proof: wire::schnorr_json(&proof) };
        app.post(&url("transport"), Some(&t.token), &json!({"transport": body})).await.expect_status(200);
        secrets.push(secret);
    }
    let state = app.get(&format!("/api/v1/elections/{id}/ceremony"), Some(&trustees[0].token)).await;
    let transports: Vec<TransportKeyJson> =
        serde_json::from_value(state.expect_status(200)["transports"].clone()).unwrap();
    for (i, t) in trustees.iter().enumerate() {
        let j = i as u32 + 1;
        let poly = Polynomial::random(j, threshold);
        let shares: Vec<_> = transports
            .iter()
            .map(|x| encrypt_share(id, j, x.trustee, &wire::parse_point(&x.key).unwrap(), &poly.share_for(x.trustee)))
            .collect();
        let dealing = wire::dealing_json(&poly.dealing(id), &shares);
        app.post(&url("dealing"), Some(&t.token), &json!({"dealing": dealing})).await.expect_status(200);
    }
    let state = app.get(&format!("/api/v1/elections/{id}/ceremony"), Some(&trustees[0].token)).await;
    let dealings: Vec<DealingJson> = serde_json::from_value(state.expect_status(200)["dealings"].clone()).unwrap();
    let parsed: Vec<_> = dealings.iter().map(|d| wire::dealing_parse(d).unwrap()).collect();
    let mut out = Vec::new();
    for (i, t) in trustees.iter().enumerate() {
        let j = i as u32 + 1;
        let received: Vec<_> = parsed.iter().map(|(d, s)| (d, s.iter().find(|x| x.to == j).unwrap())).collect();
        let x = combine_shares(id, j, &secrets[i], &received).unwrap();
        let vk = wire::point_hex(&(anjoman_ballot_crypto::g() * x));
        let done = app.post(&url("confirm"), Some(&t.token), &json!({"verification_key": vk})).await;
        done.expect_status(200);
        out.push(x);
    }
    out
}

/// The election's contests in ballot order, and its key.
pub async fn ballot_shape(app: &TestApp, id: &str) -> (Vec<ContestParams>, anjoman_ballot_crypto::Point) {
    let e = app.get(&format!("/api/v1/elections/{id}"), None).await.expect_status(200).clone();
    let contests = e["contests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| ContestParams {
            id: c["id"].as_str().unwrap().to_owned(),
            candidates: c["candidates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["id"].as_str().unwrap().to_owned())
                .collect(),
            max: c["max_selections"].as_u64().unwrap(),
        })
        .collect();
    (contests, wire::parse_point(e["public_key"].as_str().expect("the key ceremony is done")).unwrap())
}

/// An encrypted ballot choosing these candidates (by id), made as the browser makes it.
pub async fn encrypted(app: &TestApp, id: &str, chosen: &[&str]) -> Value {
    let (contests, y) = ballot_shape(app, id).await;
    let parts = contests
        .iter()
        .map(|c| {
            let picks: Vec<bool> = c.candidates.iter().map(|x| chosen.contains(&x.as_str())).collect();
            // Tests of refusals ask for more than allowed: encrypt with the bigger maximum.
            let max = c.max.max(picks.iter().filter(|p| **p).count() as u64);
            wire::contest_json(&c.id, &encrypt_contest(id, &c.id, &y, &picks, max))
        })
        .collect();
    serde_json::to_value(BallotJson { version: wire::VERSION, election: id.into(), contests: parts }).unwrap()
}

/// Trustee `j` decrypts the aggregate with its share.
pub async fn decrypt(app: &TestApp, id: &str, trustee: &Person, j: u32, share: &Scalar) -> Answer {
    let (contests, _) = ballot_shape(app, id).await;
    let agg = app.get(&format!("/api/v1/elections/{id}/aggregate"), None).await.expect_status(200).clone();
    let agg: Vec<wire::ContestAggregateJson> = serde_json::from_value(agg["contests"].clone()).unwrap();
    let sums = anjoman_ballot_crypto::record::aggregate_parse(&contests, &agg).unwrap();
    let pd = decrypt_aggregate(id, j, share, &contests, &sums);
    app.post(
        &format!("/api/v1/elections/{id}/partial-decryption"),
        Some(&trustee.token),
        &json!({"partial_decryption": pd}),
    )
    .await
}

/// A published election of `aid` with one contest and `candidate` in it, opening in `start` s
/// and closing in `end` s; returns the election, contest and candidate ids.
pub async fn published(
    app: &TestApp,
    aid: &str,
    admin: &Person,
    candidate: &Person,
    start: i64,
    end: i64,
) -> (String, String, String) {
    let body = json!({"title": "انتخابات", "description": "", "starts_at": at(start), "ends_at": at(end), "contests": [{"title": "هیئت‌مدیره", "seats": 1, "max_selections": 1}], "trustees": [admin.code], "trustee_threshold": 1});
    let e = app
        .post(&format!("/api/v1/associations/{aid}/elections"), Some(&admin.token), &body)
        .await
        .expect_status(201)
        .clone();
    let (id, contest) = (e["id"].as_str().unwrap().to_owned(), e["contests"][0]["id"].as_str().unwrap().to_owned());
    let with = app
        .post(
            &format!("/api/v1/elections/{id}/candidates"),
            Some(&admin.token),
            &json!({"contest_id": contest, "national_code": candidate.code, "election_code": "1"}),
        )
        .await;
    let cand = with.expect_status(201)["contests"][0]["candidates"][0]["id"].as_str().unwrap().to_owned();
    ceremony(app, &id, &[admin], 1).await;
    app.post(&format!("/api/v1/elections/{id}/publish"), Some(&admin.token), &json!({})).await.expect_status(200);
    (id, contest, cand)
}

/// The audit log's actions on one object, oldest first as the log lists them (read as a
/// commission admin).
pub async fn audit_actions(app: &TestApp, admin_token: &str, object_id: &str) -> Vec<String> {
    let audit = app.get(&format!("/api/v1/audit-log?object_id={object_id}&per_page=100"), Some(admin_token)).await;
    audit.expect_status(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

/// Asserts that the workers opened the election, froze its roll and closed it once each,
/// however many processes ran them.
pub async fn assert_lifecycle_once(app: &TestApp, admin_token: &str, id: &str) {
    let actions = audit_actions(app, admin_token, id).await;
    for once in ["election.opened", "election.roll_frozen", "election.closed"] {
        assert_eq!(actions.iter().filter(|a| *a == once).count(), 1, "{once} once in {actions:?}");
    }
}
