//! Text helpers shared by every domain: digit normalisation and the national code.

use std::fmt;

/// Replaces Persian (۰-۹) and Arabic-Indic (٠-٩) digits with ASCII digits; other characters are kept.
pub fn normalize_digits(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            _ => c,
        })
        .collect()
}

/// Persian digits for the numbers of a Persian text, leaving a run of digits that belongs to a
/// Latin word (`argon2`, `$2b$`, `UTF-8`) as it is — the rule the web client's
/// `persianDigitsInText` follows too.
pub fn persian_digits_in_text(input: &str) -> String {
    let chars: Vec<char> = input.chars().collect();
    let latin = |c: char| c.is_ascii_alphabetic() || c == '$' || c == '_';
    let mut out = String::with_capacity(input.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let end = chars[i..].iter().position(|c| !c.is_ascii_digit()).map_or(chars.len(), |p| p + i);
        let before = i.checked_sub(1).map(|p| chars[p]);
        // `UTF-8`: a hyphen right after a Latin letter joins the digits to that word.
        let joined = before == Some('-') && i.checked_sub(2).is_some_and(|p| latin(chars[p]));
        let in_word = before.is_some_and(latin) || joined || chars.get(end).copied().is_some_and(latin);
        let run: String = chars[i..end].iter().collect();
        out.push_str(&if in_word { run } else { persian_digits(&run) });
        i = end;
    }
    out
}

/// Writes ASCII digits as Persian ones (۰-۹), for numbers inside Persian text.
pub fn persian_digits(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x06F0 + (c as u32 - '0' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Why a national code was refused; each maps to a field-level message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NationalCodeError {
    Empty,
    NotDigits,
    WrongLength,
    AllSameDigits,
    WrongCheckDigit,
}

impl NationalCodeError {
    pub fn message_en(self) -> &'static str {
        match self {
            Self::Empty => "The national code is required.",
            Self::NotDigits => "The national code may contain digits only.",
            Self::WrongLength => "The national code must have 10 digits.",
            Self::AllSameDigits => "This national code is not valid.",
            Self::WrongCheckDigit => "This national code is not valid (check digit mismatch).",
        }
    }

    pub fn message_fa(self) -> &'static str {
        match self {
            Self::Empty => "وارد کردن کد ملی الزامی است.",
            Self::NotDigits => "کد ملی فقط باید شامل رقم باشد.",
            Self::WrongLength => "کد ملی باید ۱۰ رقم باشد.",
            Self::AllSameDigits => "این کد ملی معتبر نیست.",
            Self::WrongCheckDigit => "این کد ملی معتبر نیست (رقم کنترل نادرست است).",
        }
    }
}

/// An Iranian national code (کد ملی): ten ASCII digits whose last digit is the official check
/// digit. Values of this type are always valid; parse once at the edge.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NationalCode(String);

impl NationalCode {
    /// Parses user input: surrounding spaces are trimmed, Persian and Arabic-Indic digits are
    /// normalised, 8 and 9 digit input is left-padded with zeros (as older cards print it).
    pub fn parse(input: &str) -> Result<Self, NationalCodeError> {
        let digits = normalize_digits(input.trim());
        if digits.is_empty() {
            return Err(NationalCodeError::Empty);
        }
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(NationalCodeError::NotDigits);
        }
        let padded = match digits.len() {
            8 | 9 => format!("{digits:0>10}"),
            10 => digits,
            _ => return Err(NationalCodeError::WrongLength),
        };
        let d: Vec<u32> = padded.bytes().map(|b| u32::from(b - b'0')).collect();
        if d.iter().all(|&x| x == d[0]) {
            return Err(NationalCodeError::AllSameDigits);
        }
        if d[9] != Self::check_digit(&d[..9]) {
            return Err(NationalCodeError::WrongCheckDigit);
        }
        Ok(Self(padded))
    }

    /// The official check digit for the first nine digits.
    fn check_digit(first_nine: &[u32]) -> u32 {
        let sum: u32 = first_nine.iter().enumerate().map(|(i, &x)| x * (10 - i as u32)).sum();
        let r = sum % 11;
        if r < 2 { r } else { 11 - r }
    }

    /// Completes nine digits with their check digit; for demo data and tests.
    pub fn from_prefix(first_nine: &str) -> Option<Self> {
        if first_nine.len() != 9 || !first_nine.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let d: Vec<u32> = first_nine.bytes().map(|b| u32::from(b - b'0')).collect();
        Self::parse(&format!("{first_nine}{}", Self::check_digit(&d))).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NationalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_codes() {
        // 0084575948 and 0499370899 are well-known valid test codes.
        assert_eq!(NationalCode::parse("0084575948").unwrap().as_str(), "0084575948");
        assert_eq!(NationalCode::parse("0499370899").unwrap().as_str(), "0499370899");
    }

    #[test]
    fn writes_persian_digits_and_reads_them_back() {
        assert_eq!(persian_digits("4 MB, 1-20"), "۴ MB, ۱-۲۰");
        assert_eq!(normalize_digits(&persian_digits("0123456789")), "0123456789");
    }

    #[test]
    fn normalises_persian_and_arabic_digits() {
        assert_eq!(NationalCode::parse("۰۴۹۹۳۷۰۸۹۹").unwrap().as_str(), "0499370899");
        assert_eq!(NationalCode::parse("٠٤٩٩٣٧٠٨٩٩").unwrap().as_str(), "0499370899");
        assert_eq!(NationalCode::parse(" 0499370899 ").unwrap().as_str(), "0499370899");
    }

    #[test]
    fn left_pads_short_codes() {
        assert_eq!(NationalCode::parse("84575948").unwrap().as_str(), "0084575948");
        assert_eq!(NationalCode::parse("499370899").unwrap().as_str(), "0499370899");
    }

    #[test]
    fn rejects_bad_codes() {
        assert_eq!(NationalCode::parse("0499370898"), Err(NationalCodeError::WrongCheckDigit));
        assert_eq!(NationalCode::parse("04993708a9"), Err(NationalCodeError::NotDigits));
        assert_eq!(NationalCode::parse("04993708991"), Err(NationalCodeError::WrongLength));
        assert_eq!(NationalCode::parse("1234567"), Err(NationalCodeError::WrongLength));
        assert_eq!(NationalCode::parse("1111111111"), Err(NationalCodeError::AllSameDigits));
        assert_eq!(NationalCode::parse("0000000000"), Err(NationalCodeError::AllSameDigits));
        assert_eq!(NationalCode::parse(""), Err(NationalCodeError::Empty));
    }

    #[test]
    fn from_prefix_completes_check_digit() {
        assert_eq!(NationalCode::from_prefix("049937089").unwrap().as_str(), "0499370899");
    }
}

/// Normalises Persian text for storage and search: Arabic yeh/kaf become Persian ی/ک, digits
/// become ASCII, surrounding space is trimmed and inner runs of spaces collapse to one.
pub fn normalize_persian(input: &str) -> String {
    let mapped: String = normalize_digits(input)
        .chars()
        .map(|c| match c {
            '\u{064A}' | '\u{0649}' => '\u{06CC}',
            '\u{0643}' => '\u{06A9}',
            _ => c,
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The form of a text used for search: Persian-normalised, zero-width non-joiners and other
/// invisible joiners turned into spaces, lower case. Store it beside the text and normalise the
/// query the same way, so «علي» finds «علی».
pub fn search_key(input: &str) -> String {
    let spaced: String = input
        .chars()
        .map(|c| if matches!(c, '\u{200C}' | '\u{200D}' | '\u{200F}' | '\u{200E}') { ' ' } else { c })
        .collect();
    normalize_persian(&spaced).to_lowercase()
}

/// Parses an Iranian mobile number in any common form (+98…, 0098…, 98…, 9…, 09…, Persian
/// digits) into the national form `09xxxxxxxxx`.
pub fn parse_mobile(input: &str) -> Option<String> {
    let digits: String = normalize_digits(input).chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let rest = digits
        .strip_prefix("+98")
        .or_else(|| digits.strip_prefix("0098"))
        .or_else(|| digits.strip_prefix("98").filter(|r| r.len() == 10))
        .or_else(|| digits.strip_prefix('0'))
        .unwrap_or(&digits);
    (rest.len() == 10 && rest.starts_with('9') && rest.bytes().all(|b| b.is_ascii_digit())).then(|| format!("0{rest}"))
}

/// A plausible e-mail address: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn parse_email(input: &str) -> Option<String> {
    let s = input.trim();
    let (local, domain) = s.split_once('@')?;
    let ok = !local.is_empty()
        && s.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then(|| format!("{local}@{}", domain.to_ascii_lowercase()))
}

#[cfg(test)]
mod contact_tests {
    use super::*;

    #[test]
    fn parses_mobiles() {
        for m in ["09121234567", "+989121234567", "00989121234567", "9121234567", "۰۹۱۲۱۲۳۴۵۶۷", "0912 123 4567"]
        {
            assert_eq!(parse_mobile(m).as_deref(), Some("09121234567"), "{m}");
        }
        for m in ["0212345678", "091212345", "0912123456789", "abc"] {
            assert_eq!(parse_mobile(m), None, "{m}");
        }
    }

    #[test]
    fn parses_emails() {
        assert_eq!(parse_email(" Ali@Example.IR ").as_deref(), Some("Ali@example.ir"));
        assert_eq!(parse_email("ali@localhost"), None);
        assert_eq!(parse_email("a b@example.ir"), None);
        assert_eq!(parse_email("@example.ir"), None);
    }

    #[test]
    fn search_keys_fold_letters_digits_and_zwnj() {
        assert_eq!(search_key("علي"), search_key("علی"));
        assert_eq!(search_key("مهدی\u{200C}زاده"), "مهدی زاده");
        assert_eq!(search_key("Ali KARIMI ۱۲"), "ali karimi 12");
    }

    #[test]
    fn normalises_persian_letters() {
        assert_eq!(normalize_persian("  علي   كريمي ۱۲ "), "علی کریمی 12");
    }
}

/// Hides all but the first letter of the local part and of the domain's first label.
pub fn mask_email(email: &str) -> String {
    let Some((local, domain)) = email.split_once('@') else { return "***".into() };
    let hide = |s: &str| {
        let mut chars = s.chars();
        match chars.next() {
            Some(first) => format!("{first}{}", "*".repeat(chars.count().max(2))),
            None => "***".into(),
        }
    };
    let (label, rest) = domain.split_once('.').unwrap_or((domain, ""));
    if rest.is_empty() {
        format!("{}@{}", hide(local), hide(label))
    } else {
        format!("{}@{}.{rest}", hide(local), hide(label))
    }
}

#[cfg(test)]
mod mask_tests {
    use super::mask_email;

    #[test]
    fn masks_emails() {
        assert_eq!(mask_email("sara@example.ir"), "s***@e******.ir");
        assert_eq!(mask_email("a@b.co"), "a**@b**.co");
    }

    #[test]
    fn persian_texts_get_persian_digits_but_latin_words_keep_theirs() {
        assert_eq!(super::persian_digits_in_text("حداکثر 500 سطر؛ 12 مگابایت"), "حداکثر ۵۰۰ سطر؛ ۱۲ مگابایت");
        assert_eq!(super::persian_digits_in_text("bcrypt یا argon2 یا $2b$"), "bcrypt یا argon2 یا $2b$");
        assert_eq!(super::persian_digits_in_text("1406/02/11"), "۱۴۰۶/۰۲/۱۱");
        assert_eq!(super::persian_digits_in_text("کدگذاری UTF-8، 3 سطر"), "کدگذاری UTF-8، ۳ سطر");
    }
}
