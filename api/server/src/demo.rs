//! Demo data for `anjoman serve --demo`: a few people with known logins, added to an empty
//! database only.

use anjoman_core::Config;
use anjoman_core::auth::Role;
use anjoman_core::db::DbConn;
use anjoman_core::db::schema::persons;
use anjoman_identity::provision::{Provision, provision};
use diesel::prelude::*;

/// A demo login: national code, password, who it is.
pub struct DemoLogin {
    pub national_code: &'static str,
    pub password: &'static str,
    pub who: &'static str,
}

pub const DEMO_LOGINS: &[DemoLogin] = &[
    DemoLogin {
        national_code: "0084575948", password: "Anjoman-Demo-1403", who: "commission admin (مدیر کمیسیون)"
    },
    DemoLogin {
        national_code: "0499370899",
        password: "Anjoman-Demo-1403",
        who: "directorate admin (اداره کل تجهیزات پزشکی)",
    },
    DemoLogin { national_code: "1234567891", password: "Anjoman-Demo-1403", who: "member, no roles yet (عضو)" },
    DemoLogin {
        national_code: "0010350829",
        password: "0010350829",
        who: "password reset to national code: must change it at login",
    },
];

const PEOPLE: [(&str, &str, Option<Role>, bool); 4] = [
    ("مریم", "احمدی", Some(Role::CommissionAdmin), false),
    ("علی", "رضایی", Some(Role::DirectorateAdmin), false),
    ("زهرا", "کریمی", None, false),
    ("حسین", "موسوی", None, true),
];

/// Adds the demo people when the database has nobody yet. Returns true when it added them.
pub fn seed(conn: &mut DbConn, config: &Config) -> Result<bool, String> {
    let count: i64 = persons::table.count().get_result(conn).map_err(|e| e.to_string())?;
    if count > 0 {
        return Ok(false);
    }
    for (login, (first, last, role, must_change)) in DEMO_LOGINS.iter().zip(PEOPLE) {
        provision(
            conn,
            config,
            &Provision {
                national_code: login.national_code,
                password: login.password,
                first_name: first,
                last_name: last,
                role,
                must_change_password: must_change,
            },
            "demo",
        )?;
    }
    Ok(true)
}
