//! Demo data for `anjoman serve --demo`: a few people with known logins, added to an empty
//! database only.

mod associations;
mod elections;
mod engineers;
mod officers;

use anjoman_core::Config;
use anjoman_core::auth::Role;
use anjoman_core::db::DbConn;
use anjoman_core::db::schema::persons;
use anjoman_identity::provision::{Provision, provision};
use diesel::prelude::*;

use associations::seed_associations;
use engineers::seed_engineers;
use officers::seed_officers;

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

pub(super) const FIRST_NAMES: [&str; 16] = [
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
pub(super) const LAST_NAMES: [&str; 16] = [
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
