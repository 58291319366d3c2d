//! Checks on what people type, parsed once at the edge so later code gets only valid values.

use anjoman_core::config::PasswordPolicy;
use anjoman_core::text::{NationalCode, normalize_persian, parse_email, parse_mobile};
use anjoman_core::{ApiError, FieldErrors, Msg};

/// A person's name part: trimmed, normalised, 1 to 100 characters, no control characters.
fn name(errors: &mut FieldErrors, field: &str, value: &str) -> String {
    let v = normalize_persian(value);
    if v.is_empty() {
        errors.add(field, Msg::new("این فیلد الزامی است.", "This field is required."));
    } else if v.chars().count() > 100 || v.chars().any(char::is_control) {
        errors
            .add(field, Msg::new("حداکثر ۱۰۰ نویسهٔ معمولی مجاز است.", "At most 100 ordinary characters are allowed."));
    }
    v
}

pub fn national_code(errors: &mut FieldErrors, field: &str, value: &str) -> Option<NationalCode> {
    NationalCode::parse(value).map_err(|e| errors.add(field, Msg::new(e.message_fa(), e.message_en()))).ok()
}

pub fn password(
    errors: &mut FieldErrors,
    field: &str,
    policy: &PasswordPolicy,
    value: &str,
    code: Option<&NationalCode>,
) {
    let code = code.map(NationalCode::as_str).unwrap_or("");
    if let Err(problems) = anjoman_core::auth::password::check_policy(policy, value, code) {
        for p in problems {
            errors.add(field, p);
        }
    }
}

fn optional_contact(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    parse: fn(&str) -> Option<String>,
    msg: Msg,
) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    let parsed = parse(value);
    if parsed.is_none() {
        errors.add(field, msg);
    }
    parsed
}

/// A registration, valid in every field.
pub struct NewPerson {
    pub national_code: NationalCode,
    pub first_name: String,
    pub last_name: String,
    pub mobile: Option<String>,
    pub email: Option<String>,
}

/// What a registration form carries.
pub struct RegistrationInput<'a> {
    pub national_code: &'a str,
    pub password: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub mobile: Option<&'a str>,
    pub email: Option<&'a str>,
}

/// Validates every field at once, so the form can show all problems together.
pub fn registration(policy: &PasswordPolicy, input: &RegistrationInput<'_>) -> Result<NewPerson, ApiError> {
    let mut errors = FieldErrors::new();
    let code = national_code(&mut errors, "national_code", input.national_code);
    password(&mut errors, "password", policy, input.password, code.as_ref());
    let first_name = name(&mut errors, "first_name", input.first_name);
    let last_name = name(&mut errors, "last_name", input.last_name);
    let (mobile, email) = contacts(&mut errors, input.mobile, input.email);
    errors.into_result()?;
    let national_code = code.ok_or(ApiError::Internal)?;
    Ok(NewPerson { national_code, first_name, last_name, mobile, email })
}

/// The optional mobile and e-mail of a form, each valid when given.
fn contacts(errors: &mut FieldErrors, mobile: Option<&str>, email: Option<&str>) -> (Option<String>, Option<String>) {
    let mobile = optional_contact(
        errors,
        "mobile",
        mobile,
        parse_mobile,
        Msg::new("شمارهٔ همراه باید به شکل ۰۹xxxxxxxxx باشد.", "The mobile number must look like 09xxxxxxxxx."),
    );
    let email = optional_contact(
        errors,
        "email",
        email,
        parse_email,
        Msg::new("نشانی رایانامه معتبر نیست.", "The e-mail address is not valid."),
    );
    (mobile, email)
}

/// A person an organisation records (an admin's form): names required and contacts valid, as
/// registration checks them; no password, as the person has no account yet.
pub fn recorded_person(
    national_code: NationalCode,
    first_name: &str,
    last_name: &str,
    mobile: Option<&str>,
    email: Option<&str>,
) -> Result<NewPerson, ApiError> {
    let mut errors = FieldErrors::new();
    let first_name = name(&mut errors, "first_name", first_name);
    let last_name = name(&mut errors, "last_name", last_name);
    let (mobile, email) = contacts(&mut errors, mobile, email);
    errors.into_result()?;
    Ok(NewPerson { national_code, first_name, last_name, mobile, email })
}

/// Changes to a profile: `None` leaves a field alone; `Some(None)` clears a contact.
#[derive(Debug, Default)]
pub struct ProfileChanges {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub mobile: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub birth_date: Option<Option<chrono::NaiveDate>>,
}

/// What a profile edit carries; `None` leaves a field as it is, an empty string clears it.
pub struct ProfileInput<'a> {
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub mobile: Option<&'a str>,
    pub email: Option<&'a str>,
    /// `YYYY-MM-DD` (Gregorian).
    pub birth_date: Option<&'a str>,
}

/// A birth date: a real day, not in the future, not before 1900.
fn birth_date(errors: &mut FieldErrors, value: &str, today: chrono::NaiveDate) -> Option<chrono::NaiveDate> {
    let v = anjoman_core::text::normalize_digits(value.trim());
    if v.is_empty() {
        return None;
    }
    let parsed = chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok();
    let earliest = chrono::NaiveDate::from_ymd_opt(1900, 1, 1);
    match parsed {
        Some(d) if Some(d) >= earliest && d <= today => Some(d),
        Some(_) => {
            errors.add("birth_date", Msg::new("تاریخ تولد پذیرفتنی نیست.", "The birth date is out of range."));
            None
        }
        None => {
            errors.add(
                "birth_date",
                Msg::new("تاریخ تولد باید به شکل YYYY-MM-DD باشد.", "The birth date must be YYYY-MM-DD."),
            );
            None
        }
    }
}

pub fn profile_changes(input: &ProfileInput<'_>, today: chrono::NaiveDate) -> Result<ProfileChanges, ApiError> {
    let ProfileInput { first_name, last_name, mobile, email, birth_date: birth } = *input;
    let mut errors = FieldErrors::new();
    let first_name = first_name.map(|v| name(&mut errors, "first_name", v));
    let last_name = last_name.map(|v| name(&mut errors, "last_name", v));
    let mobile = mobile.map(|v| {
        optional_contact(
            &mut errors,
            "mobile",
            Some(v),
            parse_mobile,
            Msg::new("شمارهٔ همراه باید به شکل ۰۹xxxxxxxxx باشد.", "The mobile number must look like 09xxxxxxxxx."),
        )
    });
    let email = email.map(|v| {
        optional_contact(
            &mut errors,
            "email",
            Some(v),
            parse_email,
            Msg::new("نشانی رایانامه معتبر نیست.", "The e-mail address is not valid."),
        )
    });
    let birth_date = birth.map(|v| birth_date(&mut errors, v, today));
    errors.into_result()?;
    Ok(ProfileChanges { first_name, last_name, mobile, email, birth_date })
}
