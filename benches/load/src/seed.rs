//! The benchmark's database: a fresh PostgreSQL database, migrated by `anjoman migrate`, then
//! filled in bulk with `COPY` (1,000,000 people with Persian names, their memberships, the
//! voters' accounts) — the same rows the application writes, much faster than through the API.

use std::io::Write;
use std::process::{Command, Stdio};

use anjoman_core::text::NationalCode;
use rand::Rng;
use rand::seq::SliceRandom;

/// The benchmark voters' password (one argon2id hash at the configured strength is shared).
pub const VOTER_PASSWORD: &str = "Bench-Voter-1405";

const FIRST: &[&str] = &[
    "محمد",
    "علی",
    "حسین",
    "رضا",
    "مهدی",
    "امیر",
    "حسن",
    "مصطفی",
    "سعید",
    "مجید",
    "احمد",
    "جواد",
    "محسن",
    "حمید",
    "امید",
    "بهزاد",
    "کاوه",
    "آرش",
    "بابک",
    "سیاوش",
    "فرهاد",
    "کامران",
    "پیمان",
    "یوسف",
    "ابراهیم",
    "فاطمه",
    "زهرا",
    "مریم",
    "سارا",
    "نرگس",
    "لیلا",
    "الهام",
    "مینا",
    "شیرین",
    "پریسا",
    "نازنین",
    "سمیرا",
    "مهسا",
    "نسرین",
    "فرشته",
    "طاهره",
    "معصومه",
    "زینب",
    "کبری",
    "آزاده",
    "ساناز",
    "هانیه",
    "الناز",
    "یگانه",
    "نگار",
    "ترانه",
    "بهاره",
    "غزاله",
    "رویا",
    "ژاله",
    "کیانا",
    "آیدا",
    "مرضیه",
    "سمانه",
    "عاطفه",
];
const LAST: &[&str] = &[
    "محمدی",
    "حسینی",
    "احمدی",
    "رضایی",
    "موسوی",
    "کریمی",
    "جعفری",
    "رحیمی",
    "کاظمی",
    "قاسمی",
    "صادقی",
    "حیدری",
    "ابراهیمی",
    "نوری",
    "عباسی",
    "هاشمی",
    "اکبری",
    "سلیمانی",
    "مرادی",
    "یوسفی",
    "باقری",
    "زارعی",
    "شریفی",
    "طاهری",
    "نجفی",
    "رستمی",
    "فرهادی",
    "میرزایی",
    "شجاعی",
    "عزیزی",
    "بهرامی",
    "تهرانی",
    "اصفهانی",
    "شیرازی",
    "تبریزی",
    "کرمانی",
    "مشهدی",
    "یزدی",
    "قزوینی",
    "رشتی",
    "خراسانی",
    "امینی",
    "صالحی",
    "کیانی",
    "فتحی",
    "نظری",
    "پورمحمدی",
    "علی‌زاده",
    "حسن‌زاده",
    "رضازاده",
    "قربانی",
    "نیک‌نام",
    "فروتن",
    "آزادی",
    "دانشور",
    "خسروی",
    "شاهمرادی",
    "مهدوی",
    "سبحانی",
    "توکلی",
    "جهانگیری",
    "کوهستانی",
    "دریایی",
    "ملکی",
    "سلطانی",
    "افشار",
    "زندی",
    "قاجار",
    "پهلوان",
    "گودرزی",
    "بختیاری",
    "لرستانی",
    "کردستانی",
    "بلوچ",
    "ترکمان",
    "آذری",
    "گیلانی",
    "مازندرانی",
    "سمنانی",
    "اراکی",
    "همدانی",
];
pub const FIELD: &str = "انفورماتیک پزشکی";

/// The connection URL of database `db` on the server of `admin_url`.
pub fn url_for(admin_url: &str, db: &str) -> String {
    let (base, query) =
        admin_url.split_once('?').map(|(b, q)| (b, format!("?{q}"))).unwrap_or((admin_url, String::new()));
    let prefix = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    format!("{prefix}/{db}{query}")
}

/// Runs SQL through `psql`, stopping at the first error; returns what it printed.
pub fn psql(url: &str, sql: &str) -> String {
    let out = Command::new("psql")
        .args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
        .output()
        .expect("psql runs (Debian's postgresql-client)");
    assert!(out.status.success(), "psql failed on {sql}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// `COPY table (columns) FROM STDIN` with the rows `write` produces (tab-separated text).
pub fn copy(url: &str, table: &str, columns: &str, write: impl FnOnce(&mut dyn Write)) {
    let mut child = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", &format!("COPY {table} ({columns}) FROM STDIN")])
        .stdin(Stdio::piped())
        .spawn()
        .expect("psql runs");
    {
        let stdin = child.stdin.take().expect("stdin");
        let mut w = std::io::BufWriter::with_capacity(1 << 20, stdin);
        write(&mut w);
        w.flush().expect("rows written");
    }
    assert!(child.wait().expect("psql ends").success(), "COPY into {table} failed");
}

/// One seeded person; the first `voters` have accounts.
pub struct Voter {
    pub national_code: String,
    pub mobile: String,
}

/// Valid national codes, in order, from nine-digit prefixes starting at 100,000,000.
fn national_codes(n: usize) -> Vec<String> {
    (100_000_000u32..)
        .filter_map(|p| NationalCode::from_prefix(&p.to_string()))
        .take(n)
        .map(|c| c.as_str().to_owned())
        .collect()
}

/// Fills persons, memberships (approved, in `association`) and accounts for the first `voters`.
/// Returns the seeded people in order, and the Persian name words used, for searches.
pub fn people(url: &str, association: &str, persons: usize, n_voters: usize, password_hash: &str) -> Vec<Voter> {
    let codes = national_codes(persons);
    let mut rng = rand::thread_rng();
    let ids: Vec<String> = (0..persons).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let now = chrono::Utc::now().naive_utc();
    let stamp = |secs_ago: i64| (now - chrono::Duration::seconds(secs_ago)).format("%Y-%m-%d %H:%M:%S").to_string();
    let mut voters = Vec::with_capacity(n_voters);
    copy(
        url,
        "persons",
        "id, national_code, first_name, last_name, mobile, email, created_at, updated_at, birth_date, search_name",
        |w| {
            for (i, (id, code)) in ids.iter().zip(&codes).enumerate() {
                let first = FIRST.choose(&mut rng).unwrap();
                let last = LAST.choose(&mut rng).unwrap();
                let mobile = format!("0912{i:07}");
                let at = stamp(rng.gen_range(0..50_000_000));
                let birth =
                    format!("{}-{:02}-{:02}", rng.gen_range(1950..2000), rng.gen_range(1..13), rng.gen_range(1..29));
                let search = anjoman_identity::store::search_name(first, last);
                writeln!(
                    w,
                    "{id}\t{code}\t{first}\t{last}\t{mobile}\t{code}@bench.example\t{at}\t{at}\t{birth}\t{search}"
                )
                .unwrap();
                if i < n_voters {
                    voters.push(Voter { national_code: code.clone(), mobile });
                }
            }
        },
    );
    copy(
        url,
        "memberships",
        "id, association_id, person_id, status, field, degree_level, source, requested_at, decided_at",
        |w| {
            for id in &ids {
                let at = stamp(rng.gen_range(0..50_000_000));
                let m = uuid::Uuid::new_v4();
                writeln!(w, "{m}\t{association}\t{id}\tapproved\t{FIELD}\tmaster\timport\t{at}\t{at}").unwrap();
            }
        },
    );
    let at = stamp(0);
    copy(
        url,
        "accounts",
        "person_id, password_hash, must_change_password, password_changed_at, disabled, created_at",
        |w| {
            for id in ids.iter().take(voters.len()) {
                writeln!(w, "{id}\t{password_hash}\tf\t{at}\tf\t{at}").unwrap();
            }
        },
    );
    psql(url, "ANALYZE");
    voters
}

/// `n` captchas whose answers the benchmark knows (it cannot read the images), valid for two
/// hours; checked and consumed by the server exactly as drawn ones are.
pub fn captchas(url: &str, n: usize) -> Vec<(String, String)> {
    let mut rng = rand::thread_rng();
    let made: Vec<(String, String)> = (0..n)
        .map(|_| (uuid::Uuid::new_v4().to_string(), (0..5).map(|_| char::from(b'1' + rng.gen_range(0..9u8))).collect()))
        .collect();
    let now = chrono::Utc::now().naive_utc();
    let (created, expires) =
        (now.format("%Y-%m-%d %H:%M:%S"), (now + chrono::Duration::hours(2)).format("%Y-%m-%d %H:%M:%S"));
    copy(url, "captchas", "id, answer_hash, expires_at, created_at", |w| {
        for (id, answer) in &made {
            let hash = anjoman_core::auth::captcha::answer_hash(id, answer);
            writeln!(w, "{id}\t{hash}\t{expires}\t{created}").unwrap();
        }
    });
    made
}

/// Search terms a member administrator types: a first or last name, part of one, or the first
/// digits of a national code.
pub fn search_terms() -> Vec<String> {
    let mut out: Vec<String> = FIRST.iter().chain(LAST).map(|s| (*s).to_owned()).collect();
    out.extend(LAST.iter().filter_map(|s| {
        let chars: Vec<char> = s.chars().collect();
        (chars.len() > 4).then(|| chars[1..4].iter().collect())
    }));
    out.extend(FIRST.iter().zip(LAST).map(|(f, l)| format!("{f} {l}")));
    out.extend(["1000", "10012", "100345", "1005"].map(String::from));
    out
}
