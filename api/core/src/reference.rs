//! Public reference data every domain reads (`data/README.md` names the sources): the divisions
//! of Iran (provinces, counties, cities) and the issuing areas of national codes.

use std::collections::HashMap;
use std::sync::LazyLock;

use diesel::prelude::*;
use diesel::upsert::excluded;

use crate::db::DbConn;
use crate::db::schema::{cities, counties};

const COUNTIES: &str = include_str!("../data/counties.csv");
const CITIES: &str = include_str!("../data/cities.csv");
const AREAS: &str = include_str!("../data/national-code-areas.csv");

/// The rows of a CSV file without its heading (the files hold no quoted commas).
fn rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines().skip(1).filter(|l| !l.trim().is_empty()).map(|l| l.split(',').map(str::trim).collect())
}

/// The issuing area (محل صدور) a national code's first three digits name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssuingArea {
    pub prefix: &'static str,
    /// The area's name as the civil registry gives it (e.g. «تهران مرکزی»).
    pub area: &'static str,
    /// Today's province of the area; `None` for an area abroad.
    pub province_id: Option<&'static str>,
}

static AREA_TABLE: LazyLock<HashMap<&'static str, IssuingArea>> = LazyLock::new(|| {
    rows(AREAS)
        .map(|r| {
            let area = IssuingArea { prefix: r[0], area: r[1], province_id: Some(r[2]).filter(|p| !p.is_empty()) };
            (r[0], area)
        })
        .collect()
});

/// The issuing area of a national code (ten digits, already checked), when the table knows it.
pub fn issuing_area(national_code: &str) -> Option<IssuingArea> {
    AREA_TABLE.get(national_code.get(..3)?).copied()
}

/// The province of birth a national code gives (EN-07): its issuing area's province, or `None`
/// when the prefix is unknown or the area is abroad (then the person enters it for an expert to
/// confirm).
pub fn birth_province(national_code: &str) -> Option<&'static str> {
    issuing_area(national_code)?.province_id
}

/// Writes the counties and cities of the shipped divisions into the database, unless they are
/// there already (a new version of the files adds rows or renames them). Safe when several
/// processes start at once: each row is an upsert.
pub fn load_divisions(conn: &mut DbConn) -> QueryResult<bool> {
    let county_rows: Vec<_> = rows(COUNTIES).collect();
    let city_rows: Vec<_> = rows(CITIES).collect();
    let have_counties: i64 = counties::table.count().get_result(conn)?;
    let placed: i64 = cities::table.filter(cities::county_id.is_not_null()).count().get_result(conn)?;
    let expected_placed = city_rows.iter().filter(|r| !r[2].is_empty()).count() as i64;
    if have_counties == county_rows.len() as i64 && placed == expected_placed {
        return Ok(false);
    }
    crate::db::write_tx(conn, |conn| {
        for chunk in county_rows.chunks(200) {
            let values: Vec<_> = chunk
                .iter()
                .map(|r| (counties::id.eq(r[0]), counties::province_id.eq(r[1]), counties::name_fa.eq(r[2])))
                .collect();
            crate::per_backend!(conn, |c| diesel::insert_into(counties::table)
                .values(&values)
                .on_conflict(counties::id)
                .do_update()
                .set(counties::name_fa.eq(excluded(counties::name_fa)))
                .execute(c))?;
        }
        for chunk in city_rows.chunks(200) {
            let values: Vec<_> = chunk
                .iter()
                .map(|r| {
                    (
                        cities::id.eq(r[0]),
                        cities::province_id.eq(r[1]),
                        cities::county_id.eq(Some(r[2]).filter(|c| !c.is_empty())),
                        cities::name_fa.eq(r[3]),
                    )
                })
                .collect();
            crate::per_backend!(conn, |c| diesel::insert_into(cities::table)
                .values(&values)
                .on_conflict(cities::id)
                .do_update()
                .set((cities::name_fa.eq(excluded(cities::name_fa)), cities::county_id.eq(excluded(cities::county_id))))
                .execute(c))?;
        }
        Ok(true)
    })
}

/// A key that sorts Persian names in the order of the Persian alphabet (پ after ب, چ after ج,
/// ژ after ز, گ after ک), which the code points do not follow.
pub fn persian_sort_key(name: &str) -> Vec<u32> {
    const ORDER: &str = "آاأإبپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیئ";
    name.chars()
        .map(|c| {
            let c = match c {
                'ي' | 'ى' => 'ی',
                'ك' => 'ک',
                other => other,
            };
            ORDER.chars().position(|o| o == c).map_or(1000 + c as u32, |i| i as u32)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_prefix_of_the_table_names_an_area_and_most_a_province() {
        assert_eq!(AREA_TABLE.len(), 596);
        assert!(AREA_TABLE.values().all(|a| a.prefix.len() == 3 && !a.area.is_empty()));
        assert_eq!(AREA_TABLE.values().filter(|a| a.province_id.is_none()).count(), 2);
    }

    #[test]
    fn a_national_code_names_its_province_of_birth() {
        assert_eq!(birth_province("0010350829"), Some("tehran"));
        // Karaj was in Tehran province when its codes were issued; it is in Alborz now.
        assert_eq!(birth_province("0311234567"), Some("alborz"));
        assert_eq!(birth_province("4271234567"), Some("zanjan"));
        assert_eq!(birth_province("1234567891"), Some("isfahan"));
        assert_eq!(issuing_area("1234567891").map(|a| a.area), Some("نطنز"));
        // Abroad, and a prefix no area has: no province.
        assert_eq!(issuing_area("4711234567").map(|a| a.province_id), Some(None));
        assert_eq!(birth_province("0001234567"), None);
        assert_eq!(birth_province("12"), None);
    }

    #[test]
    fn the_divisions_hold_every_province_and_over_a_thousand_cities() {
        let cities: Vec<_> = rows(CITIES).collect();
        assert!(cities.len() > 1000, "{} cities", cities.len());
        let provinces: std::collections::HashSet<_> = cities.iter().map(|r| r[1]).collect();
        assert_eq!(provinces.len(), 31);
        let counties: std::collections::HashSet<_> = rows(COUNTIES).map(|r| r[0]).collect();
        assert!(counties.len() > 400);
        assert!(cities.iter().all(|r| r.len() == 4 && (r[2].is_empty() || counties.contains(r[2]))));
        assert!(rows(AREAS).all(|r| r[2].is_empty() || provinces.contains(r[2])));
        assert!(cities.iter().filter(|r| r[1] == "tehran").count() > 30);
    }

    #[test]
    fn persian_names_sort_in_alphabet_order() {
        let mut names = vec!["گرگان", "کرج", "پاوه", "بم", "چابهار", "جیرفت", "آمل"];
        names.sort_by_key(|n| persian_sort_key(n));
        assert_eq!(names, ["آمل", "بم", "پاوه", "جیرفت", "چابهار", "کرج", "گرگان"]);
    }
}
