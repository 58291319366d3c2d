//! Demo data for `anjoman serve --demo`: a few people with known logins, added to an empty
//! database only.

use anjoman_core::Config;
use anjoman_core::auth::Role;
use anjoman_core::db::DbConn;
use anjoman_core::db::schema::persons;
use anjoman_identity::provision::{Provision, provision};
use diesel::prelude::*;

/// A demo person and how to log in as them.
pub struct DemoLogin {
    pub national_code: &'static str,
    pub password: &'static str,
    pub who: &'static str,
    first_name: &'static str,
    last_name: &'static str,
    role: Option<Role>,
    must_change_password: bool,
}

const DEMO: &str = "Anjoman-Demo-1403";

pub const DEMO_LOGINS: &[DemoLogin] = &[
    DemoLogin {
        national_code: "0084575948",
        password: DEMO,
        who: "commission admin (مدیر کمیسیون)",
        first_name: "مریم",
        last_name: "احمدی",
        role: Some(Role::CommissionAdmin),
        must_change_password: false,
    },
    DemoLogin {
        national_code: "0499370899",
        password: DEMO,
        who: "directorate admin (اداره کل تجهیزات پزشکی)",
        first_name: "علی",
        last_name: "رضایی",
        role: Some(Role::DirectorateAdmin),
        must_change_password: false,
    },
    DemoLogin {
        national_code: "1234567891",
        password: DEMO,
        who: "member, no roles yet (عضو)",
        first_name: "زهرا",
        last_name: "کریمی",
        role: None,
        must_change_password: false,
    },
    DemoLogin {
        national_code: "0010350829",
        password: "0010350829",
        who: "password reset to national code: must change it at login",
        first_name: "حسین",
        last_name: "موسوی",
        role: None,
        must_change_password: true,
    },
    DemoLogin {
        national_code: "0067749828",
        password: DEMO,
        who: "admin of the Iranian Medical Informatics Association (مدیر انجمن)",
        first_name: "نرگس",
        last_name: "کاظمی",
        role: None,
        must_change_password: false,
    },
    DemoLogin {
        national_code: "0071234561",
        password: DEMO,
        who: "reviewer at Tehran University of Medical Sciences (کارشناس دانشگاه)",
        first_name: "سعید",
        last_name: "نوروزی",
        role: None,
        must_change_password: false,
    },
    DemoLogin {
        national_code: "0072345675",
        password: DEMO,
        who: "reviewer at Isfahan University of Medical Sciences",
        first_name: "لیلا",
        last_name: "قاسمی",
        role: None,
        must_change_password: false,
    },
    DemoLogin {
        national_code: "0073456780",
        password: DEMO,
        who: "a qualified technical officer in Tehran (مسئول فنی)",
        first_name: "امید",
        last_name: "شریفی",
        role: None,
        must_change_password: false,
    },
    DemoLogin {
        national_code: "0074567896",
        password: DEMO,
        who: "a qualified technical officer in Isfahan, free to work for a distributor",
        first_name: "مهسا",
        last_name: "پاکزاد",
        role: None,
        must_change_password: false,
    },
    DemoLogin {
        national_code: "0081234562",
        password: DEMO,
        who: "manager of a medical-equipment distributor (مدیر توزیع‌کننده)",
        first_name: "کاوه",
        last_name: "فرهمند",
        role: None,
        must_change_password: false,
    },
    DemoLogin {
        national_code: "0091234565",
        password: DEMO,
        who: "expert of Tehran's engineering organisation (کارشناس سازمان نظام مهندسی تهران)",
        first_name: "فرهاد",
        last_name: "نیک‌نام",
        role: None,
        must_change_password: false,
    },
    DemoLogin {
        national_code: "0092345670",
        password: DEMO,
        who: "expert of Isfahan's engineering organisation",
        first_name: "زهره",
        last_name: "اصفهانی",
        role: None,
        must_change_password: false,
    },
    DemoLogin {
        national_code: "0093456786",
        password: DEMO,
        who: "building engineer in Tehran whose renewal window is open (مهندس)",
        first_name: "حمید",
        last_name: "سازگار",
        role: Some(Role::Engineer),
        must_change_password: false,
    },
    DemoLogin {
        national_code: "0094567891",
        password: DEMO,
        who: "building engineer in Isfahan born in Tehran (needs a residence proof)",
        first_name: "نرگس",
        last_name: "معماریان",
        role: Some(Role::Engineer),
        must_change_password: false,
    },
    DemoLogin {
        national_code: "0061234567",
        password: DEMO,
        who: "voter: a member of the medical informatics association, with an open election (رأی‌دهنده)",
        first_name: "بهاره",
        last_name: "صالحی",
        role: None,
        must_change_password: false,
    },
];

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

/// Adds the demo people when the database has nobody yet. Returns true when it added them.
pub fn seed(conn: &mut DbConn, config: &Config) -> Result<bool, String> {
    let count: i64 = persons::table.count().get_result(conn).map_err(|e| e.to_string())?;
    if count > 0 {
        return Ok(false);
    }
    for login in DEMO_LOGINS {
        provision(
            conn,
            config,
            &Provision {
                national_code: login.national_code,
                password: login.password,
                first_name: login.first_name,
                last_name: login.last_name,
                role: login.role,
                scope: None,
                must_change_password: login.must_change_password,
            },
            "demo",
        )?;
    }
    let keys = conn.transaction(seed_associations).map_err(|e| e.to_string())?;
    conn.transaction(seed_officers).map_err(|e| e.to_string())?;
    conn.transaction(seed_engineers).map_err(|e| e.to_string())?;
    // The demo election's trustees' key files: in a real election each is made and kept on its
    // trustee's own device; here they are written beside the database so the count can be tried.
    let dir = config.data_dir.join("demo-trustee-keys");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    for (name, content) in keys {
        std::fs::write(dir.join(name), content).map_err(|e| e.to_string())?;
    }
    Ok(true)
}

fn seed_associations(conn: &mut DbConn) -> diesel::QueryResult<Vec<(String, String)>> {
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

/// The demo trustees of the election: the association's admin, a member, the commission admin.
pub const DEMO_TRUSTEES: [&str; 3] = ["0067749828", "1234567891", "0084575948"];

/// The demo voter as an approved member, and an election of medical informatics that the
/// worker opens at its first pass (published, start just passed), open for a week, with three
/// trustees (any two decrypt) whose ceremony is done. Returns the trustees' key files.
fn seed_election(conn: &mut DbConn, association: &str, admin: &str) -> diesel::QueryResult<Vec<(String, String)>> {
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
fn seed_trustees(conn: &mut DbConn, election: &str) -> diesel::QueryResult<Vec<(String, String)>> {
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

/// Reviewers for Tehran and Isfahan, a qualified officer in Tehran, and officers across five
/// provinces with requests in their universities' queues (TO-01..07).
fn seed_officers(conn: &mut DbConn) -> diesel::QueryResult<()> {
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

const FIRST_NAMES: [&str; 16] = [
    "سارا",
    "علی",
    "مریم",
    "رضا",
    "زهرا",
    "حسین",
    "فاطمه",
    "محمد",
    "نرگس",
    "امیر",
    "لیلا",
    "مهدی",
    "الهام",
    "کاوه",
    "شیرین",
    "بهرام",
];
const LAST_NAMES: [&str; 16] = [
    "احمدی",
    "رضایی",
    "کریمی",
    "حسینی",
    "موسوی",
    "محمدی",
    "کاظمی",
    "نوری",
    "رحیمی",
    "صادقی",
    "جعفری",
    "یزدانی",
    "تهرانی",
    "شیرازی",
    "قاسمی",
    "اکبری",
];

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

/// The engineers' demo (EN-01..08) in two provinces: an expert each; a Tehran engineer whose
/// renewal window is open, with a verified degree, a mobile and a correspondence address; an
/// Isfahan engineer born in Tehran, whose window opens later; and an imported engineer with no
/// account yet (0095678913), who gets one on the first single sign-on.
fn seed_engineers(conn: &mut DbConn) -> diesel::QueryResult<()> {
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
        (imported, "tehran", "1-20-09934", today + chrono::Duration::days(45), None),
    ];
    for (n, (person, province, number, expires, born)) in engineers.iter().enumerate() {
        diesel::insert_into(en::table)
            .values((
                en::person_id.eq(person),
                en::province_id.eq(province),
                en::membership_number.eq(number),
                en::expires_on.eq(expires),
                en::birth_province_id.eq(born),
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
