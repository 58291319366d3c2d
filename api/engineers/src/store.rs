//! Rows and the engineer's whole record as one answer (EN-03): what the engineer's tabs show and
//! what the province's experts see.

use anjoman_core::ApiError;
use anjoman_core::db::schema::{
    engineer_addresses as ad, engineer_contacts as ct, engineer_degrees as dg, engineer_documents as dc,
    engineer_relatives as rl, engineering_orgs as org, engineers as en, provinces as pr,
};
use anjoman_core::db::{DbConn, now};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::renewals::model::RenewalView;
use crate::rules::{self, BirthProvinceSource, DocumentKind};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = en)]
pub struct Engineer {
    pub person_id: String,
    pub province_id: String,
    pub membership_number: String,
    pub expires_on: NaiveDate,
    pub father_name: Option<String>,
    pub gender: Option<String>,
    pub id_card_number: Option<String>,
    pub birth_place: Option<String>,
    pub birth_province_id: Option<String>,
    pub licence_number: Option<String>,
    pub licence_grade: Option<String>,
    pub licence_expires_on: Option<NaiveDate>,
    /// The expert who confirmed an entered province of birth (EN-07).
    pub birth_province_confirmed_by: Option<String>,
}

pub fn engineer(conn: &mut DbConn, person: &str) -> QueryResult<Option<Engineer>> {
    en::table.find(person).select(Engineer::as_select()).first(conn).optional()
}

/// One province's engineering organisation and its renewal rules (EN-01, EN-02).
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = org)]
pub struct EngineeringOrg {
    pub province_id: String,
    pub name: String,
    /// Renewal opens this many days before expiry.
    pub renewal_window_days: i32,
    pub annual_fee_rials: i64,
    /// Years one renewal buys.
    pub renewal_years: i32,
}

pub fn org(conn: &mut DbConn, province: &str) -> QueryResult<Option<EngineeringOrg>> {
    org::table.find(province).select(EngineeringOrg::as_select()).first(conn).optional()
}

/// Every provincial organisation, by name.
pub fn orgs(conn: &mut DbConn) -> QueryResult<Vec<EngineeringOrg>> {
    org::table.order(org::name).select(EngineeringOrg::as_select()).load(conn)
}

/// An organisation's name and renewal rules, as its experts set them.
#[derive(AsChangeset)]
#[diesel(table_name = org)]
pub struct OrgChanges<'a> {
    pub name: &'a str,
    pub renewal_window_days: i32,
    pub annual_fee_rials: i64,
    pub renewal_years: i32,
    pub updated_at: chrono::NaiveDateTime,
}

/// Whether the province's organisation exists and took the changes.
pub fn update_org(conn: &mut DbConn, province: &str, changes: &OrgChanges) -> QueryResult<bool> {
    Ok(diesel::update(org::table.find(province)).set(changes).execute(conn)? > 0)
}

/// Marks an engineer's degree verified by the organisation; whether it was theirs.
pub fn verify_degree(conn: &mut DbConn, person: &str, degree: &str) -> QueryResult<bool> {
    use anjoman_core::db::schema::engineer_degrees as dg;
    let n = diesel::update(dg::table.find(degree).filter(dg::engineer_id.eq(person)))
        .set((dg::verified.eq(true), dg::updated_at.eq(now())))
        .execute(conn)?;
    Ok(n > 0)
}

/// Does another engineer of the province have this membership number?
pub fn membership_number_taken(conn: &mut DbConn, province: &str, number: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        en::table.filter(en::province_id.eq(province)).filter(en::membership_number.eq(number)),
    ))
    .get_result(conn)
}

/// The membership's new expiry, once a renewal is paid.
pub fn set_expiry(conn: &mut DbConn, person: &str, expires_on: NaiveDate) -> QueryResult<()> {
    diesel::update(en::table.find(person))
        .set((en::expires_on.eq(expires_on), en::updated_at.eq(now())))
        .execute(conn)
        .map(drop)
}

#[derive(Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = dg)]
pub struct EngineerDegree {
    pub id: String,
    /// `associate`, `bachelor_noncontinuous`, `bachelor`, `master` or `doctorate`
    pub level: String,
    /// One of the seven building disciplines: `civil`, `architecture`, `mechanical`,
    /// `electrical`, `surveying`, `urban_planning`, `traffic`
    pub discipline: String,
    /// As written on the degree.
    pub orientation: String,
    pub university: String,
    pub graduated_on: NaiveDate,
    pub inquiry_code: Option<String>,
    pub letter_file_id: Option<String>,
    pub image_file_id: Option<String>,
    /// Verified by the organisation: read-only to the engineer.
    pub verified: bool,
}

#[derive(Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = ct)]
pub struct EngineerContact {
    pub id: String,
    /// `landline`, `mobile`, `email` or `work_landline`
    pub kind: String,
    pub value: String,
    pub active: bool,
}

#[derive(Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = ad)]
pub struct EngineerAddress {
    pub id: String,
    /// `residence`, `work` or `legal_domicile`
    pub kind: String,
    pub province_id: String,
    pub city: String,
    pub address: String,
    pub postal_code: Option<String>,
    /// Letters go here; exactly one address has it.
    pub correspondence: bool,
}

#[derive(Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = dc)]
pub struct EngineerDocument {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub description: Option<String>,
    pub file_id: String,
}

#[derive(Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = rl)]
pub struct EngineerRelative {
    pub id: String,
    /// `spouse` or `child`
    pub relation: String,
    pub first_name: String,
    pub last_name: String,
    pub national_code: String,
    pub birth_date: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct EngineerMain {
    pub father_name: Option<String>,
    /// `male` or `female`
    pub gender: Option<String>,
    pub id_card_number: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub birth_place: Option<String>,
    /// The province of birth (EN-07): the national code's issuing area when it is known.
    pub birth_province_id: Option<String>,
    pub birth_province_source: BirthProvinceSource,
    /// The national code's issuing area (محل صدور), when the table knows the prefix.
    pub issuing_area: Option<String>,
}

/// Read-only licence information (EN-03).
#[derive(Serialize, ToSchema)]
pub struct EngineerLicence {
    pub number: Option<String>,
    pub grade: Option<String>,
    pub expires_on: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct ResidenceProof {
    /// The membership province differs from the province of birth (EN-07).
    pub required: bool,
    /// An accepted proof is in the archive.
    pub provided: bool,
    /// The accepted document kinds.
    pub accepted_kinds: Vec<String>,
}

/// An engineer's whole record (EN-03..08).
#[derive(Serialize, ToSchema)]
pub struct EngineerRecord {
    pub person_id: String,
    pub national_code: String,
    pub first_name: String,
    pub last_name: String,
    pub province_id: String,
    pub province_name: String,
    pub organisation: EngineeringOrg,
    pub membership_number: String,
    pub expires_on: NaiveDate,
    /// The first day a renewal may be requested.
    pub renewal_opens_on: NaiveDate,
    pub main: EngineerMain,
    pub degrees: Vec<EngineerDegree>,
    pub contacts: Vec<EngineerContact>,
    pub addresses: Vec<EngineerAddress>,
    pub documents: Vec<EngineerDocument>,
    pub relatives: Vec<EngineerRelative>,
    pub licence: EngineerLicence,
    pub residence_proof: ResidenceProof,
    /// The open renewal, or the last completed one.
    pub renewal: Option<RenewalView>,
}

/// The engineer's province of birth and where it comes from (EN-07).
pub fn birth_province_of(conn: &mut DbConn, e: &Engineer) -> QueryResult<(Option<String>, BirthProvinceSource)> {
    let code = anjoman_identity::store::person_of(conn, &e.person_id)?.national_code;
    Ok(rules::birth_province(&code, e.birth_province_id.as_deref(), e.birth_province_confirmed_by.is_some()))
}

/// Refuses while the province of birth the engineer entered awaits an expert (EN-07).
pub fn birth_province_settled(conn: &mut DbConn, person: &str) -> Result<(), ApiError> {
    let e = engineer(conn, person)?.ok_or(ApiError::NotFound)?;
    match birth_province_of(conn, &e)?.1 {
        BirthProvinceSource::Entered => Err(crate::errors::EngineersError::BirthProvinceUnconfirmed.into()),
        _ => Ok(()),
    }
}

/// An expert confirms (or corrects) the province of birth an engineer entered.
pub fn confirm_birth_province(conn: &mut DbConn, person: &str, province: &str, expert: &str) -> QueryResult<()> {
    diesel::update(en::table.find(person))
        .set((
            en::birth_province_id.eq(province),
            en::birth_province_confirmed_by.eq(expert),
            en::birth_province_confirmed_at.eq(now()),
            en::updated_at.eq(now()),
        ))
        .execute(conn)
        .map(drop)
}

/// Is an accepted residence proof in the engineer's archive?
pub fn has_residence_proof(conn: &mut DbConn, person: &str) -> QueryResult<bool> {
    let kinds: Vec<String> = dc::table.filter(dc::engineer_id.eq(person)).select(dc::kind).load(conn)?;
    Ok(kinds.iter().any(|k| DocumentKind::parse(k).is_some_and(DocumentKind::proves_residence)))
}

pub fn record(conn: &mut DbConn, person: &str) -> Result<EngineerRecord, ApiError> {
    let e = engineer(conn, person)?.ok_or(ApiError::NotFound)?;
    let p = anjoman_identity::store::person_of(conn, person)?;
    let (national_code, first_name, last_name, birth_date) = (p.national_code, p.first_name, p.last_name, p.birth_date);
    let province_name: String = pr::table.find(&e.province_id).select(pr::name_fa).first(conn)?;
    let organisation = org(conn, &e.province_id)?.ok_or(ApiError::Internal)?;
    let renewal = crate::renewals::store::latest(conn, person)?;
    let (birth_province_id, birth_province_source) =
        rules::birth_province(&national_code, e.birth_province_id.as_deref(), e.birth_province_confirmed_by.is_some());
    let required = rules::residence_proof_required(&e.province_id, birth_province_id.as_deref());
    let issuing_area = anjoman_core::reference::issuing_area(&national_code).map(|a| a.area.to_owned());
    Ok(EngineerRecord {
        person_id: e.person_id.clone(),
        national_code,
        first_name,
        last_name,
        province_name,
        renewal_opens_on: rules::renewal_opens_on(e.expires_on, organisation.renewal_window_days),
        organisation,
        membership_number: e.membership_number,
        expires_on: e.expires_on,
        main: EngineerMain {
            father_name: e.father_name,
            gender: e.gender,
            id_card_number: e.id_card_number,
            birth_date,
            birth_place: e.birth_place,
            birth_province_id,
            birth_province_source,
            issuing_area,
        },
        degrees: dg::table
            .filter(dg::engineer_id.eq(person))
            .order((dg::graduated_on, dg::id))
            .select(EngineerDegree::as_select())
            .load(conn)?,
        contacts: ct::table
            .filter(ct::engineer_id.eq(person))
            .order((ct::created_at, ct::id))
            .select(EngineerContact::as_select())
            .load(conn)?,
        addresses: ad::table
            .filter(ad::engineer_id.eq(person))
            .order((ad::created_at, ad::id))
            .select(EngineerAddress::as_select())
            .load(conn)?,
        documents: dc::table
            .filter(dc::engineer_id.eq(person))
            .order((dc::created_at, dc::id))
            .select(EngineerDocument::as_select())
            .load(conn)?,
        relatives: rl::table
            .filter(rl::engineer_id.eq(person))
            .order((rl::created_at, rl::id))
            .select(EngineerRelative::as_select())
            .load(conn)?,
        licence: EngineerLicence { number: e.licence_number, grade: e.licence_grade, expires_on: e.licence_expires_on },
        residence_proof: ResidenceProof {
            required,
            provided: has_residence_proof(conn, person)?,
            accepted_kinds: DocumentKind::ALL
                .iter()
                .filter(|k| k.proves_residence())
                .map(|k| k.as_str().to_owned())
                .collect(),
        },
        renewal: renewal.map(RenewalView::from),
        province_id: e.province_id,
    })
}
