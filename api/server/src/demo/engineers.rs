//! The demo engineers of Tehran's organisation, with their records.

use anjoman_core::auth::Role;
use anjoman_core::db::DbConn;
use anjoman_core::db::schema::persons;
use diesel::prelude::*;

/// The engineers' demo (EN-01..08) in two provinces: an expert each; a Tehran engineer whose
/// renewal window is open, with a verified degree, a mobile and a correspondence address; an
/// Isfahan engineer born in Tehran, whose window opens later; and an imported engineer with no
/// account yet (0095678913), who gets one on the first single sign-on.
pub(super) fn seed_engineers(conn: &mut DbConn) -> diesel::QueryResult<()> {
    use anjoman_core::auth::ScopeKind;
    use anjoman_core::db::schema::{
        engineer_addresses as ad, engineer_contacts as ct, engineer_degrees as dg, engineers as en,
    };
    use anjoman_core::db::{new_id, now};
    use anjoman_core::text::NationalCode;
    let id_of = |conn: &mut DbConn, code: &str| {
        anjoman_identity::store::person_id_by_code(conn, code)?.ok_or(diesel::result::Error::NotFound)
    };
    for (code, province) in [("0091234565", "tehran"), ("0092345670", "isfahan")] {
        let person = id_of(conn, code)?;
        anjoman_identity::store::grant_role(
            conn,
            &person,
            Role::EngineeringAdmin,
            Some((ScopeKind::Province, province)),
            None,
        )?;
    }
    let imported = anjoman_identity::store::insert_person_record(
        conn,
        &anjoman_identity::rules::NewPerson {
            national_code: NationalCode::parse("0095678913").map_err(|_| diesel::result::Error::NotFound)?,
            first_name: "کامران".into(),
            last_name: "سپهری".into(),
            mobile: None,
            email: None,
        },
    )?;
    anjoman_identity::store::grant_role(conn, &imported, Role::Engineer, None, None)?;
    let at = now();
    let today = at.date();
    let engineers = [
        (id_of(conn, "0093456786")?, "tehran", "1-20-04512", today + chrono::Duration::days(30), Some("tehran")),
        (id_of(conn, "0094567891")?, "isfahan", "11-30-01877", today + chrono::Duration::days(200), Some("tehran")),
        (imported, "tehran", "1-20-09934", today + chrono::Duration::days(45), Some("tehran")),
    ];
    for (n, (person, province, number, expires, born)) in engineers.iter().enumerate() {
        // The demo codes' issuing areas (009) are not in the table: the province's expert has
        // confirmed the province of birth on record (EN-07).
        let expert = id_of(conn, if *province == "tehran" { "0091234565" } else { "0092345670" })?;
        let confirmed = born.map(|_| (expert, at));
        diesel::insert_into(en::table)
            .values((
                en::person_id.eq(person),
                en::province_id.eq(province),
                en::membership_number.eq(number),
                en::expires_on.eq(expires),
                en::birth_province_id.eq(born),
                en::birth_province_confirmed_by.eq(confirmed.as_ref().map(|c| c.0.clone())),
                en::birth_province_confirmed_at.eq(confirmed.map(|c| c.1)),
                en::licence_number.eq(format!("{}-{}", 1100 + n, number)),
                en::licence_grade.eq(["پایه ۱", "پایه ۲", "پایه ۳"][n]),
                en::licence_expires_on.eq(*expires + chrono::Duration::days(365 * 2)),
                en::created_at.eq(at),
                en::updated_at.eq(at),
            ))
            .execute(conn)?;
        diesel::insert_into(dg::table)
            .values((
                dg::id.eq(new_id()),
                dg::engineer_id.eq(person),
                dg::level.eq("bachelor"),
                dg::discipline.eq(["civil", "architecture", "electrical"][n]),
                dg::orientation.eq(["عمران", "معماری", "برق قدرت"][n]),
                dg::university.eq(["دانشگاه تهران", "دانشگاه صنعتی اصفهان", "دانشگاه صنعتی شریف"][n]),
                dg::graduated_on.eq(chrono::NaiveDate::from_ymd_opt(2008 + n as i32, 7, 1).unwrap_or_default()),
                dg::verified.eq(true),
                dg::created_at.eq(at),
                dg::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    let first = &engineers[0].0;
    diesel::update(persons::table.find(first))
        .set((persons::mobile.eq("09121110010"), persons::email.eq("engineer@example.ir")))
        .execute(conn)?;
    diesel::insert_into(ct::table)
        .values((
            ct::id.eq(new_id()),
            ct::engineer_id.eq(first),
            ct::kind.eq("mobile"),
            ct::value.eq("09121110010"),
            ct::active.eq(true),
            ct::created_at.eq(at),
        ))
        .execute(conn)?;
    diesel::insert_into(ad::table)
        .values((
            ad::id.eq(new_id()),
            ad::engineer_id.eq(first),
            ad::kind.eq("residence"),
            ad::province_id.eq("tehran"),
            ad::city.eq("تهران"),
            ad::address.eq("تهران، خیابان ولیعصر، کوچهٔ نسترن، پلاک ۱۲"),
            ad::postal_code.eq("1415913111"),
            ad::correspondence.eq(true),
            ad::created_at.eq(at),
            ad::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}
