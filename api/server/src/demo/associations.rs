//! The demo associations: their members, board, news and messages, and the demo election.

use anjoman_core::auth::Role;
use anjoman_core::db::DbConn;
use diesel::prelude::*;

use super::elections::seed_election;
use super::{FIRST_NAMES, LAST_NAMES};

/// Associations of the seeds (001), with what qualifies for each.
/// Code, name, and the (field, degree level) pairs that qualify.
type DemoAssociation = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

const ASSOCIATIONS: [DemoAssociation; 3] = [
    (
        "medical-informatics",
        "انجمن انفورماتیک پزشکی ایران",
        &[("انفورماتیک پزشکی", "master"), ("انفورماتیک پزشکی", "phd"), ("فناوری اطلاعات سلامت", "bachelor")],
    ),
    ("paediatrics", "انجمن پزشکان کودکان ایران", &[("کودکان", "specialist"), ("کودکان", "subspecialist")]),
    (
        "physiotherapy",
        "انجمن فیزیوتراپی ایران",
        &[("فیزیوتراپی", "bachelor"), ("فیزیوتراپی", "master"), ("فیزیوتراپی", "phd")],
    ),
];

pub(super) fn seed_associations(conn: &mut DbConn) -> diesel::QueryResult<Vec<(String, String)>> {
    use anjoman_associations::{rules, store};
    use anjoman_core::auth::ScopeKind;
    let admin =
        anjoman_identity::store::person_id_by_code(conn, "0067749828")?.ok_or(diesel::result::Error::NotFound)?;
    let commission =
        anjoman_identity::store::person_id_by_code(conn, "0084575948")?.ok_or(diesel::result::Error::NotFound)?;
    let mut ids = Vec::new();
    for (n, (code, name, quals)) in ASSOCIATIONS.iter().enumerate() {
        let input = rules::AssociationInput {
            code: Some((*code).to_owned()),
            name: Some((*name).to_owned()),
            email: Some(Some(format!("info@{code}.example.ir"))),
            phone: Some(Some(format!("021-8800{n}00{n}"))),
            website: Some(Some(format!("https://{code}.example.ir"))),
            statute_date: Some(chrono::NaiveDate::from_ymd_opt(1998 + n as i32 * 3, 5, 1)),
            logo_file_id: None,
        };
        let id = store::insert(conn, &input)?;
        let pairs: Vec<(String, String)> = quals.iter().map(|(f, d)| (rules::field_key(f), (*d).to_owned())).collect();
        store::replace_qualifications(conn, &id, &pairs)?;
        if *code == "medical-informatics" {
            anjoman_identity::store::grant_role(
                conn,
                &admin,
                Role::AssociationAdmin,
                Some((ScopeKind::Association, &id)),
                None,
            )?;
        }
        seed_members(conn, &id, n, &pairs, &admin)?;
        ids.push(id);
    }
    seed_board(conn, &ids[0])?;
    seed_news(conn, &ids, &admin)?;
    seed_messages(conn, &ids, &commission, &admin)?;
    seed_election(conn, &ids[0], &admin)
}

/// About a hundred people per association without accounts (as an import would record them):
/// most approved, some pending, a few rejected.
fn seed_members(
    conn: &mut DbConn,
    association: &str,
    n: usize,
    pairs: &[(String, String)],
    admin: &str,
) -> diesel::QueryResult<()> {
    use anjoman_associations::rules::MembershipStatus;
    use anjoman_associations::store::{NewMembership, insert_membership};
    use anjoman_core::auth::ScopeKind;
    use anjoman_core::text::NationalCode;
    for i in 0..110usize {
        let Some(code) = NationalCode::from_prefix(&format!("{:09}", 310_000_000 + n * 1000 + i)) else { continue };
        let status = match i % 10 {
            0 | 1 => MembershipStatus::Pending,
            2 => MembershipStatus::Rejected,
            _ => MembershipStatus::Approved,
        };
        let person = anjoman_identity::store::insert_person_record(
            conn,
            &anjoman_identity::rules::NewPerson {
                national_code: code,
                first_name: FIRST_NAMES[(i + n) % 16].to_owned(),
                last_name: LAST_NAMES[(i / 16 + n * 3) % 16].to_owned(),
                mobile: Some(format!("0912{:07}", 3_100_000 + n * 1000 + i)),
                email: Some(format!("member{n}{i}@example.ir")),
            },
        )?;
        let (field, degree) = &pairs[i % pairs.len()];
        let id = insert_membership(
            conn,
            &NewMembership {
                association_id: association,
                person_id: &person,
                field,
                degree_level: degree,
                status,
                source: if i % 2 == 0 { "import" } else { "self" },
                decided_by: (status != MembershipStatus::Pending).then_some(admin),
            },
        )?;
        if status == MembershipStatus::Rejected {
            diesel::update(anjoman_core::db::schema::memberships::table.find(&id))
                .set(anjoman_core::db::schema::memberships::reason.eq("مدرک تحصیلی پیوست نشده است."))
                .execute(conn)?;
        }
        if status == MembershipStatus::Approved {
            anjoman_identity::store::grant_role(
                conn,
                &person,
                Role::Member,
                Some((ScopeKind::Association, association)),
                None,
            )?;
        }
    }
    Ok(())
}

/// A current board from approved members, and a past president.
fn seed_board(conn: &mut DbConn, association: &str) -> diesel::QueryResult<()> {
    use anjoman_core::db::schema::{board_positions as bp, memberships as m};
    let approved: Vec<String> = m::table
        .filter(m::association_id.eq(association))
        .filter(m::status.eq("approved"))
        .order(m::person_id)
        .limit(7)
        .select(m::person_id)
        .load(conn)?;
    let day = |y, mo, d| chrono::NaiveDate::from_ymd_opt(y, mo, d).unwrap_or_default();
    let seats = [
        ("president", day(2024, 6, 1), None),
        ("vice_president", day(2024, 6, 1), None),
        ("secretary", day(2024, 6, 1), None),
        ("treasurer", day(2024, 6, 1), None),
        ("board_member", day(2024, 6, 1), None),
        ("inspector", day(2024, 6, 1), None),
        ("president", day(2021, 6, 1), Some(day(2024, 5, 31))),
    ];
    for (person, (position, start, closed)) in approved.iter().zip(seats) {
        diesel::insert_into(bp::table)
            .values((
                bp::id.eq(anjoman_core::db::new_id()),
                bp::association_id.eq(association),
                bp::person_id.eq(person),
                bp::position.eq(position),
                bp::start_date.eq(start),
                bp::end_date.eq(Some(day(chrono::Datelike::year(&start) + 3, 5, 31))),
                bp::closed_on.eq(closed),
                bp::created_at.eq(anjoman_core::db::now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn seed_news(conn: &mut DbConn, associations: &[String], admin: &str) -> diesel::QueryResult<()> {
    use anjoman_core::db::schema::news as n;
    let items = [
        (
            0,
            "برگزاری همایش سالانهٔ انفورماتیک پزشکی",
            "همایش سالانهٔ انجمن در آذرماه در تهران برگزار می‌شود.\nثبت‌نام از طریق سامانه آغاز شده است.",
            true,
        ),
        (
            0,
            "فراخوان عضویت در کارگروه سلامت دیجیتال",
            "اعضای علاقه‌مند می‌توانند تا پایان ماه درخواست خود را بفرستند.",
            true,
        ),
        (0, "پیش‌نویس: برنامهٔ کارگاه‌های زمستانی", "این خبر هنوز منتشر نشده است.", false),
        (1, "کارگاه تغذیهٔ کودکان", "کارگاه یک‌روزهٔ تغذیهٔ کودکان برای اعضا برگزار می‌شود.", true),
        (2, "روز جهانی فیزیوتراپی", "به مناسبت روز جهانی فیزیوتراپی، برنامهٔ آموزش همگانی اجرا می‌شود.", true),
    ];
    for (k, (which, title, body, published)) in items.into_iter().enumerate() {
        let at = anjoman_core::db::now() - chrono::Duration::days(10 - k as i64);
        diesel::insert_into(n::table)
            .values((
                n::id.eq(anjoman_core::db::new_id()),
                n::association_id.eq(&associations[which]),
                n::title.eq(title),
                n::body.eq(body),
                n::published_at.eq(published.then_some(at)),
                n::created_by.eq(admin),
                n::created_at.eq(at),
                n::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A commission letter to every association (unread), and a reply to the commission.
fn seed_messages(conn: &mut DbConn, associations: &[String], commission: &str, admin: &str) -> diesel::QueryResult<()> {
    use anjoman_core::db::schema::{message_recipients as mr, messages as msg};
    let letters = [
        (
            "commission",
            "commission",
            commission,
            "بخشنامهٔ برگزاری انتخابات هیئت‌مدیره",
            "انجمن‌ها برنامهٔ انتخابات خود را تا پایان فصل اعلام کنند.",
            associations.iter().map(|a| ("association", a.as_str())).collect::<Vec<_>>(),
            r#"{"to":"associations","association_ids":[],"recipient_count":3}"#,
        ),
        (
            "association",
            associations[0].as_str(),
            admin,
            "گزارش فعالیت‌های سالانه",
            "گزارش فعالیت‌های سال گذشتهٔ انجمن پیوست است.",
            vec![("commission", "commission")],
            r#"{"to":"commission","association_ids":[],"recipient_count":1}"#,
        ),
    ];
    for (kind, sender, by, subject, body, to, audience) in letters {
        let id = anjoman_core::db::new_id();
        diesel::insert_into(msg::table)
            .values((
                msg::id.eq(&id),
                msg::sender_kind.eq(kind),
                msg::sender_id.eq(sender),
                msg::sent_by.eq(by),
                msg::subject.eq(subject),
                msg::body.eq(body),
                msg::audience.eq(audience),
                msg::created_at.eq(anjoman_core::db::now()),
            ))
            .execute(conn)?;
        for (mk, mid) in to {
            diesel::insert_into(mr::table)
                .values((
                    mr::id.eq(anjoman_core::db::new_id()),
                    mr::message_id.eq(&id),
                    mr::mailbox_kind.eq(mk),
                    mr::mailbox_id.eq(mid),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}
