//! The engineers' vocabularies and rules, without I/O: degree levels and the seven building
//! disciplines (EN-04), contact and address kinds (EN-05), document kinds with the residence
//! proofs (EN-06, EN-07), relations (EN-08), the renewal window and the amount due (EN-02).

use chrono::{Months, NaiveDate};

/// Declares a closed vocabulary stored and sent as snake_case text.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal / $fa:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The Persian name, for messages and imports.
            pub fn name_fa(self) -> &'static str {
                match self { $($name::$variant => $fa),+ }
            }

            /// By its code or its Persian name (ی/ي and ک/ك folded).
            pub fn parse(s: &str) -> Option<Self> {
                let key = anjoman_core::text::search_key(s);
                Self::ALL.iter().copied().find(|v| v.as_str() == s.trim() || anjoman_core::text::search_key(v.name_fa()) == key)
            }

            /// The accepted codes, for error messages.
            pub fn codes() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

vocabulary! {
    /// University degree levels (EN-04).
    DegreeLevel {
        Associate = "associate" / "کاردانی",
        BachelorNoncontinuous = "bachelor_noncontinuous" / "کارشناسی ناپیوسته",
        Bachelor = "bachelor" / "کارشناسی پیوسته",
        Master = "master" / "کارشناسی ارشد",
        Doctorate = "doctorate" / "دکتری",
    }
}

vocabulary! {
    /// The seven building disciplines of the Engineering and Building Control Law (EN-04).
    Discipline {
        Civil = "civil" / "عمران",
        Architecture = "architecture" / "معماری",
        Mechanical = "mechanical" / "تأسیسات مکانیکی",
        Electrical = "electrical" / "تأسیسات برقی",
        Surveying = "surveying" / "نقشه‌برداری",
        UrbanPlanning = "urban_planning" / "شهرسازی",
        Traffic = "traffic" / "ترافیک",
    }
}

vocabulary! {
    /// Contact kinds (EN-05).
    ContactKind {
        Landline = "landline" / "تلفن ثابت",
        Mobile = "mobile" / "تلفن همراه",
        Email = "email" / "رایانامه",
        WorkLandline = "work_landline" / "تلفن ثابت محل کار",
    }
}

vocabulary! {
    /// Address kinds (EN-05).
    AddressKind {
        Residence = "residence" / "محل سکونت",
        Work = "work" / "محل کار",
        LegalDomicile = "legal_domicile" / "اقامتگاه قانونی",
    }
}

vocabulary! {
    /// Document kinds of the archive (EN-06); the first five prove residence (EN-07).
    DocumentKind {
        EmploymentOrder = "employment_order" / "حکم کارگزینی",
        InsuranceRecord = "insurance_record" / "لیست بیمه",
        PropertyDeed = "property_deed" / "سند مالکیت",
        OfficialLease = "official_lease" / "اجاره‌نامه رسمی",
        SchoolCertificate = "school_certificate" / "گواهی محل تحصیل فرزند",
        NationalCard = "national_card" / "کارت ملی",
        BirthCertificate = "birth_certificate" / "شناسنامه",
        Photo = "photo" / "عکس",
        MilitaryService = "military_service" / "کارت پایان خدمت",
        Other = "other" / "سایر",
    }
}

impl DocumentKind {
    /// Accepted as proof of at least six months' residence in the membership province (EN-07).
    pub fn proves_residence(self) -> bool {
        matches!(
            self,
            DocumentKind::EmploymentOrder
                | DocumentKind::InsuranceRecord
                | DocumentKind::PropertyDeed
                | DocumentKind::OfficialLease
                | DocumentKind::SchoolCertificate
        )
    }
}

vocabulary! {
    /// Family relations (EN-08).
    Relation {
        Spouse = "spouse" / "همسر",
        Child = "child" / "فرزند",
    }
}

vocabulary! {
    /// Where a renewal stands (EN-02).
    RenewalStatus {
        UnderReview = "under_review" / "در دست بررسی",
        AwaitingPayment = "awaiting_payment" / "در انتظار پرداخت",
        Completed = "completed" / "انجام شده",
        Rejected = "rejected" / "رد شده",
    }
}

/// Where the engineer's province of birth comes from (EN-07, guide 004).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BirthProvinceSource {
    /// The national code's issuing area gives it: read-only everywhere.
    NationalCode,
    /// The code's area is unknown or abroad: the engineer entered it, no expert has confirmed it.
    Entered,
    /// Entered, then confirmed (or corrected) by an expert of the province, or imported by the
    /// organisation.
    Confirmed,
    /// Neither the code gives it nor has anyone entered it.
    Unknown,
}

/// The province of birth of an engineer with this national code: the code's issuing area when
/// the table knows it (what is stored is then ignored), else what was entered.
pub fn birth_province(
    national_code: &str,
    stored: Option<&str>,
    confirmed: bool,
) -> (Option<String>, BirthProvinceSource) {
    if let Some(p) = anjoman_core::reference::birth_province(national_code) {
        return (Some(p.to_owned()), BirthProvinceSource::NationalCode);
    }
    match stored {
        Some(p) if confirmed => (Some(p.to_owned()), BirthProvinceSource::Confirmed),
        Some(p) => (Some(p.to_owned()), BirthProvinceSource::Entered),
        None => (None, BirthProvinceSource::Unknown),
    }
}

/// Residence proof is needed when the membership province differs from the province of birth
/// (EN-07), and when the province of birth is not known: leaving it empty dodges nothing.
pub fn residence_proof_required(membership_province: &str, birth_province: Option<&str>) -> bool {
    birth_province != Some(membership_province)
}

/// The first day a renewal may be requested: `window_days` before the expiry. After that it
/// stays open, expired memberships included (their debt is what the expert enters).
pub fn renewal_opens_on(expires_on: NaiveDate, window_days: i32) -> NaiveDate {
    expires_on - chrono::Duration::days(i64::from(window_days.max(0)))
}

/// The amount due: the annual fee for each year the renewal buys, plus the prior debt.
pub fn amount_due(annual_fee_rials: i64, years: i32, debt_rials: i64) -> Option<i64> {
    annual_fee_rials.checked_mul(i64::from(years))?.checked_add(debt_rials)
}

/// The new expiry: `years` after the current one.
pub fn extended(expires_on: NaiveDate, years: i32) -> Option<NaiveDate> {
    expires_on.checked_add_months(Months::new(12 * u32::try_from(years).ok()?))
}

pub use anjoman_core::dates::{from_jalali, jalali};

/// A date as organisations write it: Gregorian `2027-05-01`, or Jalali `1406/02/11` (also with
/// dashes, and Persian digits). Years outside 1300–1500 (Jalali) and 1900–2200 (Gregorian) are
/// refused as typing errors.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = anjoman_core::text::normalize_digits(text.trim());
    let parts: Vec<&str> = text.split(['-', '/']).collect();
    let [y, m, d] = parts[..] else { return None };
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    match y {
        1300..=1500 => from_jalali(y, m, d),
        1900..=2200 => NaiveDate::from_ymd_opt(y, m, d),
        _ => None,
    }
}

/// `1405/09/10`
pub fn jalali_text(date: NaiveDate) -> String {
    let (y, m, d) = jalali(date);
    format!("{y}/{m:02}/{d:02}")
}

#[cfg(test)]
mod tests {
    use chrono::Datelike;
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Every day from 1900 to 2100 survives the trip to the Jalali calendar and back.
        #[test]
        fn jalali_dates_convert_back(days in 0i64..73_049) {
            let date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            let (y, m, d) = jalali(date);
            prop_assert!((1..=12).contains(&m) && (1..=31).contains(&d));
            prop_assert_eq!(from_jalali(y, m, d), Some(date));
        }

        /// The amount due is exact or refused, never wrapped.
        #[test]
        fn amounts_due_never_wrap(fee in any::<i64>(), years in any::<i32>(), debt in any::<i64>()) {
            let exact = i128::from(fee) * i128::from(years) + i128::from(debt);
            match amount_due(fee, years, debt) {
                Some(a) => prop_assert_eq!(i128::from(a), exact),
                None => prop_assert!(i64::try_from(i128::from(fee) * i128::from(years)).is_err() || i64::try_from(exact).is_err()),
            }
        }

        /// A renewal moves the expiry forward by whole years, or is refused.
        #[test]
        fn renewals_extend_by_whole_years(days in 0i64..73_049, years in -3i32..30) {
            let expires = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            match extended(expires, years) {
                Some(new) => {
                    prop_assert!(years >= 0 && new >= expires);
                    prop_assert_eq!(new.year() - expires.year(), years);
                    prop_assert_eq!(new.month(), expires.month());
                }
                None => prop_assert!(years < 0),
            }
            for window in 1..=365 {
                prop_assert!(renewal_opens_on(expires, window) < expires);
            }
        }

        /// The vocabularies read back their own codes and Persian names, and anything else is
        /// refused without a panic.
        #[test]
        fn vocabularies_parse_their_own_words(text in "\\PC{0,30}") {
            for v in DegreeLevel::ALL {
                prop_assert_eq!(DegreeLevel::parse(v.as_str()), Some(*v));
                prop_assert_eq!(DegreeLevel::parse(v.name_fa()), Some(*v));
            }
            if let Some(v) = DegreeLevel::parse(&text) {
                let key = anjoman_core::text::search_key;
                prop_assert!(v.as_str() == text.trim() || key(v.name_fa()) == key(&text));
            }
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_province_of_birth_comes_from_the_national_code_and_else_from_an_entry() {
        use BirthProvinceSource::*;
        // 001: Tehran; what was stored does not matter.
        assert_eq!(birth_province("0011234567", Some("isfahan"), false), (Some("tehran".into()), NationalCode));
        // 000 names no area; 471 is abroad.
        assert_eq!(birth_province("0001234567", None, false), (None, Unknown));
        assert_eq!(birth_province("0001234567", Some("qom"), false), (Some("qom".into()), Entered));
        assert_eq!(birth_province("4711234567", Some("qom"), true), (Some("qom".into()), Confirmed));
    }

    #[test]
    fn jalali_dates() {
        assert_eq!(jalali_text(d(2025, 3, 21)), "1404/01/01");
        assert_eq!(jalali_text(d(2026, 3, 20)), "1404/12/29");
        assert_eq!(jalali_text(d(2026, 3, 21)), "1405/01/01");
        assert_eq!(jalali_text(d(2026, 11, 22)), "1405/09/01");
        assert_eq!(jalali_text(d(2026, 12, 1)), "1405/09/10");
        assert_eq!(jalali_text(d(1979, 2, 11)), "1357/11/22");
    }

    #[test]
    fn dates_in_either_calendar() {
        assert_eq!(from_jalali(1405, 9, 10), Some(d(2026, 12, 1)));
        assert_eq!(from_jalali(1404, 1, 1), Some(d(2025, 3, 21)));
        assert_eq!(from_jalali(1403, 12, 30), Some(d(2025, 3, 20)), "1403 is a leap year");
        assert_eq!(from_jalali(1404, 12, 30), None);
        assert_eq!(from_jalali(1404, 7, 31), None);
        assert_eq!(parse_date("۱۴۰۶/۰۲/۱۱"), Some(d(2027, 5, 1)));
        assert_eq!(parse_date("2027-05-01"), Some(d(2027, 5, 1)));
        assert_eq!(parse_date("0203-01-01"), None);
        assert_eq!(parse_date("2027-02-30"), None);
        assert_eq!(parse_date("yesterday"), None);
        for day in 0..800 {
            let g = d(2024, 1, 1) + chrono::Duration::days(day);
            let (y, m, dd) = jalali(g);
            assert_eq!(from_jalali(y, m, dd), Some(g));
        }
    }

    #[test]
    fn window_amount_and_extension() {
        assert_eq!(renewal_opens_on(d(2027, 1, 31), 30), d(2027, 1, 1));
        assert_eq!(amount_due(12_000_000, 2, 5_000_000), Some(29_000_000));
        assert_eq!(amount_due(i64::MAX, 2, 0), None);
        assert_eq!(extended(d(2024, 2, 29), 1), Some(d(2025, 2, 28)));
        assert_eq!(extended(d(2026, 12, 20), 2), Some(d(2028, 12, 20)));
        assert_eq!(extended(d(2026, 12, 20), -1), None);
    }

    #[test]
    fn residence_proof_rule() {
        assert!(!residence_proof_required("tehran", Some("tehran")));
        assert!(residence_proof_required("tehran", Some("isfahan")));
        assert!(residence_proof_required("tehran", None), "an unknown province of birth dodges nothing");
        assert!(DocumentKind::OfficialLease.proves_residence());
        assert!(!DocumentKind::Photo.proves_residence());
    }

    #[test]
    fn vocabularies_by_code_or_persian_name() {
        assert_eq!(Discipline::parse("civil"), Some(Discipline::Civil));
        assert_eq!(Discipline::parse("معماري"), Some(Discipline::Architecture));
        assert_eq!(DegreeLevel::parse("کارشناسی ارشد"), Some(DegreeLevel::Master));
        assert_eq!(Discipline::parse("chemistry"), None);
        assert_eq!(Discipline::ALL.len(), 7);
    }
}
