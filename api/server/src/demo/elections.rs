//! The demo election with its candidates and its three trustees' key ceremony done.

use anjoman_core::auth::Role;
use anjoman_core::db::DbConn;
use anjoman_core::db::schema::persons;
use diesel::prelude::*;

/// The demo trustees of the election: the association's admin, a member, the commission admin.
pub const DEMO_TRUSTEES: [&str; 3] = ["0067749828", "1234567891", "0084575948"];

/// The demo voter as an approved member, and an election of medical informatics that the
/// worker opens at its first pass (published, start just passed), open for a week, with three
/// trustees (any two decrypt) whose ceremony is done. Returns the trustees' key files.
pub(super) fn seed_election(
    conn: &mut DbConn,
    association: &str,
    admin: &str,
) -> diesel::QueryResult<Vec<(String, String)>> {
    use anjoman_associations::rules::MembershipStatus;
    use anjoman_associations::store::{NewMembership, insert_membership};
    use anjoman_core::db::schema::{candidates as cand, contests as ct, elections as el, memberships as m};
    use anjoman_core::db::{new_id, now};
    let voter =
        anjoman_identity::store::person_id_by_code(conn, "0061234567")?.ok_or(diesel::result::Error::NotFound)?;
    diesel::update(persons::table.find(&voter))
        .set((persons::email.eq("voter@example.ir"), persons::mobile.eq("09120001234")))
        .execute(conn)?;
    insert_membership(
        conn,
        &NewMembership {
            association_id: association,
            person_id: &voter,
            field: "انفورماتیک پزشکی",
            degree_level: "master",
            status: MembershipStatus::Approved,
            source: "admin",
            decided_by: Some(admin),
        },
    )?;
    anjoman_identity::store::grant_role(
        conn,
        &voter,
        Role::Member,
        Some((anjoman_core::auth::ScopeKind::Association, association)),
        None,
    )?;
    let (id, at) = (new_id(), now());
    diesel::insert_into(el::table)
        .values((
            el::id.eq(&id),
            el::association_id.eq(association),
            el::title.eq("انتخابات هیئت‌مدیرهٔ انجمن انفورماتیک پزشکی ۱۴۰۵"),
            el::description.eq("انتخاب هیئت‌مدیره و بازرس برای دورهٔ سه‌ساله. پرسش‌ها را در گروه پشتیبانی بپرسید."),
            el::support_contact.eq("https://t.me/anjoman_support_example"),
            el::starts_at.eq(at - chrono::Duration::minutes(1)),
            el::ends_at.eq(at + chrono::Duration::days(7)),
            el::status.eq("published"),
            el::created_by.eq(admin),
            el::created_at.eq(at),
            el::updated_at.eq(at),
        ))
        .execute(conn)?;
    let keys = seed_trustees(conn, &id)?;
    let approved: Vec<String> = m::table
        .filter(m::association_id.eq(association))
        .filter(m::status.eq("approved"))
        .filter(m::person_id.ne(&voter))
        .order(m::person_id)
        .limit(6)
        .select(m::person_id)
        .load(conn)?;
    for (k, (title, seats, alternates, max)) in [("هیئت‌مدیره", 3, 2, 3), ("بازرس", 1, 0, 1)].into_iter().enumerate()
    {
        let contest = new_id();
        diesel::insert_into(ct::table)
            .values((
                ct::id.eq(&contest),
                ct::election_id.eq(&id),
                ct::title.eq(title),
                ct::seats.eq(seats),
                ct::alternates.eq(alternates),
                ct::max_selections.eq(max),
                ct::sort_order.eq(k as i32),
            ))
            .execute(conn)?;
        let range = if k == 0 { 0..4 } else { 4..6 };
        for (n, person) in approved[range.clone()].iter().enumerate() {
            diesel::insert_into(cand::table)
                .values((
                    cand::id.eq(new_id()),
                    cand::election_id.eq(&id),
                    cand::contest_id.eq(&contest),
                    cand::person_id.eq(person),
                    cand::election_code.eq(format!("{}", 100 + range.start + n)),
                    cand::university.eq(Some("دانشگاه علوم پزشکی تهران")),
                    cand::field.eq(Some("انفورماتیک پزشکی")),
                    cand::academic_rank.eq(Some(if n % 2 == 0 { "دانشیار" } else { "استادیار" })),
                    cand::created_at.eq(at),
                ))
                .execute(conn)?;
        }
    }
    Ok(keys)
}

/// The ceremony, run in one place for the demo (in a real election each trustee runs its part in
/// the browser and keeps its key share).
pub(super) fn seed_trustees(conn: &mut DbConn, election: &str) -> diesel::QueryResult<Vec<(String, String)>> {
    use anjoman_ballot_crypto::{ceremony, threshold, wire};
    use anjoman_core::db::schema::{election_trustees as tr, elections as el};
    let (records, shares) = ceremony::run_locally(election, DEMO_TRUSTEES.len() as u32, 2);
    let mut dealings = Vec::new();
    let mut files = Vec::new();
    for (i, code) in DEMO_TRUSTEES.iter().enumerate() {
        let person = anjoman_identity::store::person_id_by_code(conn, code)?.ok_or(diesel::result::Error::NotFound)?;
        let r = &records[i];
        diesel::insert_into(tr::table)
            .values((
                tr::election_id.eq(election),
                tr::trustee.eq(r.trustee as i32),
                tr::person_id.eq(&person),
                tr::transport.eq(serde_json::to_string(&r.transport).unwrap_or_default()),
                tr::dealing.eq(serde_json::to_string(&r.dealing).unwrap_or_default()),
                tr::verification_key.eq(&r.verification_key),
            ))
            .execute(conn)?;
        dealings.push(wire::dealing_parse(&r.dealing).map_err(|_| diesel::result::Error::NotFound)?.0);
        let file = serde_json::json!({
            "kind": "anjoman-trustee-key",
            "version": wire::VERSION,
            "election": election,
            "trustee": r.trustee,
            "key_share": wire::scalar_hex(&shares[i]),
            "verification_key": r.verification_key,
        });
        files.push((format!("trustee-{}-{code}.json", r.trustee), format!("{file:#}\n")));
    }
    diesel::update(el::table.find(election))
        .set((el::trustee_threshold.eq(2), el::public_key.eq(wire::point_hex(&threshold::election_key(&dealings)))))
        .execute(conn)?;
    Ok(files)
}
