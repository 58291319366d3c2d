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
                must_change_password: login.must_change_password,
            },
            "demo",
        )?;
    }
    seed_associations(conn).map_err(|e| e.to_string())?;
    Ok(true)
}

fn seed_associations(conn: &mut DbConn) -> diesel::QueryResult<()> {
    use anjoman_associations::{rules, store};
    use anjoman_core::auth::ScopeKind;
    for (code, name, quals) in ASSOCIATIONS {
        let input = rules::AssociationInput {
            code: Some(code.to_owned()),
            name: Some(name.to_owned()),
            email: Some(Some(format!("info@{code}.example.ir"))),
            phone: None,
            website: Some(Some(format!("https://{code}.example.ir"))),
            statute_date: None,
            logo_file_id: None,
        };
        let id = store::insert(conn, &input)?;
        let pairs: Vec<(String, String)> = quals.iter().map(|(f, d)| (rules::field_key(f), (*d).to_owned())).collect();
        store::replace_qualifications(conn, &id, &pairs)?;
        if code == "medical-informatics" {
            let admin = anjoman_identity::store::person_id_by_code(conn, "0067749828")?
                .ok_or(diesel::result::Error::NotFound)?;
            anjoman_identity::store::grant_role(
                conn,
                &admin,
                Role::AssociationAdmin,
                Some((ScopeKind::Association, &id)),
                None,
            )?;
        }
    }
    Ok(())
}
