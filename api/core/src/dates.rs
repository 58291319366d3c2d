//! Dates and numbers as Persian readers see them (guide 001, SMS and e-mail included): the
//! Jalali (Solar Hijri) calendar, Tehran time (UTC+03:30, without daylight saving since 1402),
//! Persian digits and the Persian thousands separator.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use crate::text::persian_digits;

/// A Gregorian date in the Jalali calendar, `(year, month, day)`.
pub fn jalali(date: NaiveDate) -> (i32, u32, u32) {
    const DAYS_BEFORE_MONTH: [i64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let (gy, gm, gd) = (i64::from(date.year()), date.month() as usize, i64::from(date.day()));
    let gy2 = if gm > 2 { gy + 1 } else { gy };
    let mut days =
        355_666 + 365 * gy + (gy2 + 3) / 4 - (gy2 + 99) / 100 + (gy2 + 399) / 400 + gd + DAYS_BEFORE_MONTH[gm - 1];
    let mut jy = -1595 + 33 * (days / 12_053);
    days %= 12_053;
    jy += 4 * (days / 1461);
    days %= 1461;
    if days > 365 {
        jy += (days - 1) / 365;
        days = (days - 1) % 365;
    }
    let (jm, jd) =
        if days < 186 { (1 + days / 31, 1 + days % 31) } else { (7 + (days - 186) / 30, 1 + (days - 186) % 30) };
    (jy as i32, jm as u32, jd as u32)
}

/// The Gregorian date of a Jalali one; `None` when there is no such day (e.g. 30 Esfand of a
/// common year).
pub fn from_jalali(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // 1 Farvardin falls on 19–22 March of year + 621.
    let nowruz =
        (19..=22).filter_map(|d| NaiveDate::from_ymd_opt(year + 621, 3, d)).find(|d| jalali(*d) == (year, 1, 1))?;
    let offset = if month <= 6 { (month - 1) * 31 } else { 186 + (month - 7) * 30 } + day - 1;
    let date = nowruz + chrono::Duration::days(i64::from(offset));
    (jalali(date) == (year, month, day)).then_some(date)
}

/// `۱۴۰۵/۰۹/۱۰`
pub fn jalali_fa(date: NaiveDate) -> String {
    let (y, m, d) = jalali(date);
    persian_digits(&format!("{y}/{m:02}/{d:02}"))
}

/// A UTC time in Tehran (UTC+03:30).
pub fn tehran(utc: NaiveDateTime) -> NaiveDateTime {
    utc + chrono::Duration::minutes(210)
}

/// A UTC time as a Persian reader in Iran reads it: `۱۴۰۵/۰۹/۱۰ ساعت ۱۴:۳۰ به وقت تهران`.
pub fn tehran_fa(utc: NaiveDateTime) -> String {
    let local = tehran(utc);
    let time = persian_digits(&format!("{:02}:{:02}", local.hour(), local.minute()));
    format!("{} ساعت {time} به وقت تهران", jalali_fa(local.date()))
}

/// A whole number with Persian digits and the Persian thousands separator: `۱۴٬۰۰۰٬۰۰۰`.
pub fn number_fa(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('٬');
        }
        out.push(c);
    }
    persian_digits(&format!("{}{out}", if n < 0 { "-" } else { "" }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_numbers_read_as_in_iran() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(jalali_fa(day), "۱۴۰۵/۰۹/۱۰");
        assert_eq!(from_jalali(1405, 9, 10), Some(day));
        // 21:00 UTC is half past midnight of the next day in Tehran.
        let late = day.and_hms_opt(21, 0, 0).unwrap();
        assert_eq!(tehran_fa(late), "۱۴۰۵/۰۹/۱۱ ساعت ۰۰:۳۰ به وقت تهران");
        assert_eq!(number_fa(14_000_000), "۱۴٬۰۰۰٬۰۰۰");
        assert_eq!(number_fa(999), "۹۹۹");
        assert_eq!(number_fa(0), "۰");
    }
}
