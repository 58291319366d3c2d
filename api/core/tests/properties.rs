//! Properties of the parsers every request goes through: national codes, mobiles, e-mail
//! addresses, search keys and page bounds. Arbitrary input never panics; what is accepted has
//! the documented form; the written forms people use all parse to the same value.

use anjoman_core::paging::page_bounds;
use anjoman_core::text::{NationalCode, normalize_digits, parse_email, parse_mobile, search_key};
use proptest::prelude::*;

/// Writes ASCII digits as Persian (۰–۹) or Arabic-Indic (٠–٩) digits.
fn localise(digits: &str, persian: bool) -> String {
    let zero = if persian { '\u{06F0}' } else { '\u{0660}' };
    digits.chars().map(|c| char::from_u32(zero as u32 + c.to_digit(10).unwrap()).unwrap()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn a_national_code_is_ten_digits_or_refused(input in any::<String>()) {
        if let Ok(code) = NationalCode::parse(&input) {
            prop_assert_eq!(code.as_str().len(), 10);
            prop_assert!(code.as_str().bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(NationalCode::parse(code.as_str()), Ok(code));
        }
    }

    #[test]
    fn a_completed_code_parses_in_every_written_form(prefix in "[0-9]{9}") {
        prop_assume!(!prefix.bytes().all(|b| b == prefix.as_bytes()[0]));
        let Some(code) = NationalCode::from_prefix(&prefix) else { return Ok(()) };
        for form in [
            code.as_str().to_owned(),
            format!("  {}\t", code.as_str()),
            localise(code.as_str(), true),
            localise(code.as_str(), false),
            code.as_str().trim_start_matches('0').to_owned(),
        ] {
            if form.trim().len() >= 8 {
                prop_assert_eq!(NationalCode::parse(&form), Ok(code.clone()), "{}", form);
            }
        }
        // Any other check digit is refused.
        let last = code.as_str().as_bytes()[9];
        for d in b'0'..=b'9' {
            if d != last {
                let wrong = format!("{}{}", &code.as_str()[..9], d as char);
                prop_assert!(NationalCode::parse(&wrong).is_err(), "{}", wrong);
            }
        }
    }

    #[test]
    fn a_mobile_is_in_the_national_form_or_refused(input in any::<String>()) {
        if let Some(m) = parse_mobile(&input) {
            prop_assert_eq!(m.len(), 11);
            prop_assert!(m.starts_with("09") && m.bytes().all(|b| b.is_ascii_digit()), "{}", m);
            prop_assert_eq!(parse_mobile(&m), Some(m.clone()));
        }
    }

    #[test]
    fn every_written_form_of_a_mobile_is_the_same_number(rest in "9[0-9]{9}", persian in any::<bool>()) {
        let national = format!("0{rest}");
        for form in [
            national.clone(),
            format!("+98{rest}"),
            format!("0098{rest}"),
            format!("98{rest}"),
            rest.clone(),
            format!("0{} {} {}", &rest[..3], &rest[3..6], &rest[6..]),
            format!("0{}-{}", &rest[..3], &rest[3..]),
            localise(&national, persian),
        ] {
            prop_assert_eq!(parse_mobile(&form), Some(national.clone()), "{}", form);
        }
    }

    #[test]
    fn an_accepted_email_parses_again_to_itself(input in any::<String>()) {
        if let Some(e) = parse_email(&input) {
            prop_assert_eq!(parse_email(&e), Some(e.clone()));
            prop_assert!(!e.chars().any(char::is_whitespace));
        }
    }

    #[test]
    fn search_keys_are_stable_and_digits_ascii(input in any::<String>()) {
        let key = search_key(&input);
        prop_assert_eq!(search_key(&key), key.clone());
        prop_assert_eq!(normalize_digits(&key), key);
    }

    #[test]
    fn page_bounds_never_overflow(page in any::<Option<i64>>(), per_page in any::<Option<i64>>()) {
        if let Ok((p, n, offset)) = page_bounds(page, per_page) {
            prop_assert!(p >= 1 && (1..=100).contains(&n) && offset >= 0);
            prop_assert_eq!(offset, (p - 1) * n);
        }
    }
}
