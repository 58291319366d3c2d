//! The demo technical officers, their requests, a distributor and its branches.

use anjoman_core::auth::Role;
use anjoman_core::db::DbConn;
use anjoman_core::db::schema::persons;
use diesel::prelude::*;

use super::{FIRST_NAMES, LAST_NAMES};

/// Reviewers for Tehran and Isfahan, a qualified officer in Tehran, and officers across five
/// provinces with requests in their universities' queues (TO-01..07).
pub(super) fn seed_officers(conn: &mut DbConn) -> diesel::QueryResult<()> {
    use anjoman_core::auth::ScopeKind;
    use anjoman_core::db::schema::{officer_request_events as ev, officer_requests as rq, officers as o};
    use anjoman_core::db::{new_id, now};
    use anjoman_core::text::NationalCode;
    let id_of = |conn: &mut DbConn, code: &str| {
        anjoman_identity::store::person_id_by_code(conn, code)?.ok_or(diesel::result::Error::NotFound)
    };
    for (code, province) in [("0071234561", "tehran"), ("0072345675", "isfahan")] {
        let person = id_of(conn, code)?;
        anjoman_identity::store::grant_role(
            conn,
            &person,
            Role::UniversityReviewer,
            Some((ScopeKind::Province, province)),
            None,
        )?;
    }
    let at = now();
    let mut officers = vec![
        (id_of(conn, "0073456780")?, "tehran", "tehran-1", "completed"),
        (id_of(conn, "0074567896")?, "isfahan", "isfahan-2", "completed"),
    ];
    let places = [
        ("isfahan", "isfahan-1"),
        ("fars", "fars-1"),
        ("razavi-khorasan", "razavi-khorasan-1"),
        ("khuzestan", "khuzestan-2"),
        ("tehran", "tehran-3"),
    ];
    for (i, (province, city)) in places.iter().enumerate() {
        let Some(code) = NationalCode::from_prefix(&format!("{:09}", 320_000_000 + i)) else { continue };
        let person = anjoman_identity::store::insert_person_record(
            conn,
            &anjoman_identity::rules::NewPerson {
                national_code: code,
                first_name: FIRST_NAMES[(i * 5) % 16].to_owned(),
                last_name: LAST_NAMES[(i * 7 + 3) % 16].to_owned(),
                mobile: Some(format!("0913{:07}", 3_200_000 + i)),
                email: Some(format!("officer{i}@example.ir")),
            },
        )?;
        officers.push((person, province, city, "submitted"));
    }
    for (n, (person, province, city, status)) in officers.iter().enumerate() {
        diesel::update(persons::table.find(person))
            .set(persons::birth_date.eq(chrono::NaiveDate::from_ymd_opt(1980 + n as i32, 4, 12)))
            .execute(conn)?;
        diesel::insert_into(o::table)
            .values((
                o::person_id.eq(person),
                o::father_name.eq(FIRST_NAMES[(n * 3 + 1) % 16]),
                o::gender.eq(if n % 2 == 0 { "male" } else { "female" }),
                o::id_card_number.eq(format!("{}", 1200 + n)),
                o::address.eq("خیابان آزادی، کوچهٔ دوم، پلاک ۱۰"),
                o::province_id.eq(province),
                o::city_id.eq(city),
                o::field.eq("مهندسی پزشکی"),
                o::degree_level.eq(if n % 2 == 0 { "bachelor" } else { "master" }),
                o::documents.eq("[]"),
                o::qualified_at.eq((*status == "completed").then_some(at)),
                o::created_at.eq(at),
                o::updated_at.eq(at),
            ))
            .execute(conn)?;
        anjoman_identity::store::grant_role(conn, person, Role::TechnicalOfficer, None, None)?;
        let request = new_id();
        diesel::insert_into(rq::table)
            .values((
                rq::id.eq(&request),
                rq::officer_id.eq(person),
                rq::kind.eq("qualification"),
                rq::province_id.eq(province),
                rq::status.eq(status),
                rq::documents.eq("[]"),
                rq::created_at.eq(at),
                rq::updated_at.eq(at),
                rq::completed_at.eq((*status == "completed").then_some(at)),
            ))
            .execute(conn)?;
        for to in ["submitted", status].iter().take(if *status == "submitted" { 1 } else { 2 }) {
            diesel::insert_into(ev::table)
                .values((ev::id.eq(new_id()), ev::request_id.eq(&request), ev::to_status.eq(*to), ev::at.eq(at)))
                .execute(conn)?;
        }
    }
    // A distributor whose central branch has the qualified officer, and a branch in Shiraz without one.
    use anjoman_core::db::schema::{branches as br, cooperations as co, distributors as di};
    let manager = id_of(conn, "0081234562")?;
    for (code, mobile) in [("0081234562", "09121110001"), ("0074567896", "09121110002"), ("0073456780", "09121110003")]
    {
        let person = id_of(conn, code)?;
        diesel::update(persons::table.find(&person)).set(persons::mobile.eq(mobile)).execute(conn)?;
    }
    let qualified = id_of(conn, "0073456780")?;
    let distributor = new_id();
    diesel::insert_into(di::table)
        .values((
            di::id.eq(&distributor),
            di::name.eq("شرکت پارس تجهیز سلامت"),
            di::kind.eq("company"),
            di::manager_id.eq(&manager),
            di::created_at.eq(at),
        ))
        .execute(conn)?;
    anjoman_identity::store::grant_role(
        conn,
        &manager,
        Role::DistributorManager,
        Some((ScopeKind::Distributor, &distributor)),
        None,
    )?;
    let central = new_id();
    for (id, name, central_branch, province, city, officer) in [
        (central.clone(), "دفتر مرکزی", true, "tehran", "tehran-1", Some(qualified.clone())),
        (new_id(), "شعبهٔ شیراز", false, "fars", "fars-1", None),
    ] {
        diesel::insert_into(br::table)
            .values((
                br::id.eq(&id),
                br::distributor_id.eq(&distributor),
                br::name.eq(name),
                br::is_central.eq(central_branch),
                br::province_id.eq(province),
                br::city_id.eq(city),
                br::address.eq("خیابان ولیعصر، ساختمان سلامت، طبقهٔ سوم"),
                br::officer_id.eq(&officer),
                br::created_at.eq(at),
            ))
            .execute(conn)?;
    }
    diesel::insert_into(co::table)
        .values((
            co::id.eq(new_id()),
            co::branch_id.eq(&central),
            co::distributor_id.eq(&distributor),
            co::officer_id.eq(&qualified),
            co::province_id.eq("tehran"),
            co::status.eq("active"),
            co::created_at.eq(at),
            co::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}
