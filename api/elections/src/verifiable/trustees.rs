//! The trustees of an election (EL-10): who they are, where the key ceremony stands, and the
//! elections that wait on a trustee.

use actix_web::{get, web};
use anjoman_core::auth::AuthUser;
use anjoman_core::db::DbConn;
use anjoman_core::db::schema::{election_trustees as tr, elections as el};
use anjoman_core::http::AppState;
use anjoman_core::text::NationalCode;
use anjoman_core::{ApiError, FieldErrors, Msg};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::errors::ElectionsError;
use crate::rules::Status;
use crate::store;

/// At most this many trustees per election.
pub const MAX_TRUSTEES: usize = 9;

#[derive(Debug, Clone)]
pub struct TrusteeRow {
    pub trustee: i32,
    pub person_id: String,
    pub transport: Option<String>,
    pub dealing: Option<String>,
    pub verification_key: Option<String>,
    pub partial_decryption: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub national_code: String,
}

/// A trustee's seat as stored, before the name is added.
type Seat = (i32, String, Option<String>, Option<String>, Option<String>, Option<String>);

pub fn trustees(conn: &mut DbConn, election: &str) -> QueryResult<Vec<TrusteeRow>> {
    let seats: Vec<Seat> = tr::table
        .filter(tr::election_id.eq(election))
        .order(tr::trustee)
        .select((tr::trustee, tr::person_id, tr::transport, tr::dealing, tr::verification_key, tr::partial_decryption))
        .load(conn)?;
    let ids: Vec<String> = seats.iter().map(|s| s.1.clone()).collect();
    let persons = anjoman_identity::store::persons_by_id(conn, &ids)?;
    Ok(seats
        .into_iter()
        .filter_map(|(trustee, person_id, transport, dealing, verification_key, partial_decryption)| {
            let p = persons.get(&person_id)?;
            Some(TrusteeRow {
                first_name: p.first_name.clone(),
                last_name: p.last_name.clone(),
                national_code: p.national_code.clone(),
                trustee,
                person_id,
                transport,
                dealing,
                verification_key,
                partial_decryption,
            })
        })
        .collect())
}

/// Names the trustees (by national code) and the threshold; only before the ceremony starts.
pub fn set_trustees(conn: &mut DbConn, election: &str, codes: &[String], threshold: i32) -> Result<(), ApiError> {
    let mut e = FieldErrors::new();
    if codes.is_empty() || codes.len() > MAX_TRUSTEES {
        e.add("trustees", Msg::new("از ۱ تا ۹ امین لازم است.", "Name 1 to 9 trustees."));
    }
    if threshold < 1 || threshold as usize > codes.len().max(1) {
        e.add(
            "trustee_threshold",
            Msg::new(
                "حد نصاب امینان باید از ۱ تا شمار امینان باشد.",
                "The threshold must be between 1 and the number of trustees.",
            ),
        );
    }
    let mut people = Vec::new();
    for (i, raw) in codes.iter().enumerate() {
        let field = format!("trustees[{i}]");
        let Ok(code) = NationalCode::parse(raw) else {
            e.add(&field, Msg::new("کد ملی نامعتبر است.", "Invalid national code."));
            continue;
        };
        let person =
            anjoman_identity::store::account_by_code(conn, code.as_str())?.filter(|a| !a.disabled).map(|a| a.person_id);
        match person {
            None => e.add(
                &field,
                Msg::new("امین باید حساب کاربری در سامانه داشته باشد.", "A trustee must have an account here."),
            ),
            Some(id) if people.contains(&id) => {
                e.add(&field, Msg::new("این امین دو بار آمده است.", "This trustee is named twice."))
            }
            Some(id) => people.push(id),
        }
    }
    e.into_result()?;
    if trustees(conn, election)?.iter().any(|t| t.transport.is_some()) {
        return Err(ElectionsError::CeremonyStarted.into());
    }
    diesel::delete(tr::table.filter(tr::election_id.eq(election))).execute(conn)?;
    for (i, person) in people.iter().enumerate() {
        diesel::insert_into(tr::table)
            .values((tr::election_id.eq(election), tr::trustee.eq(i as i32 + 1), tr::person_id.eq(person)))
            .execute(conn)?;
    }
    diesel::update(el::table.find(election))
        .set((el::trustee_threshold.eq(threshold), el::public_key.eq(None::<String>)))
        .execute(conn)?;
    Ok(())
}

/// The trustees' national codes, in order.
/// The elections (not cancelled) in which a person is a trustee, newest first.
pub fn elections_of(conn: &mut DbConn, person: &str) -> QueryResult<Vec<String>> {
    tr::table
        .inner_join(el::table)
        .filter(tr::person_id.eq(person))
        .filter(el::status.ne(Status::Cancelled.as_str()))
        .order(el::created_at.desc())
        .select(tr::election_id)
        .load(conn)
}

/// One ceremony message of trustee `j`, recorded in its row.
pub enum Message<'a> {
    Transport(&'a str),
    Dealing(&'a str),
    VerificationKey(&'a str),
    PartialDecryption(&'a str),
}

pub fn record_message(conn: &mut DbConn, election: &str, j: u32, message: Message) -> QueryResult<()> {
    let row = tr::table.find((election, j as i32));
    match message {
        Message::Transport(json) => diesel::update(row).set(tr::transport.eq(json)).execute(conn)?,
        Message::Dealing(json) => diesel::update(row).set(tr::dealing.eq(json)).execute(conn)?,
        Message::VerificationKey(key) => diesel::update(row).set(tr::verification_key.eq(key)).execute(conn)?,
        Message::PartialDecryption(json) => diesel::update(row).set(tr::partial_decryption.eq(json)).execute(conn)?,
    };
    Ok(())
}

/// The election key, once every trustee confirmed its share.
pub fn set_election_key(conn: &mut DbConn, election: &str, key: &str) -> QueryResult<()> {
    diesel::update(el::table.find(election)).set(el::public_key.eq(key)).execute(conn)?;
    Ok(())
}

/// Drops every message of the ceremony and the election key, to start over.
pub fn clear_ceremony(conn: &mut DbConn, election: &str) -> QueryResult<()> {
    diesel::update(tr::table.filter(tr::election_id.eq(election)))
        .set((
            tr::transport.eq(None::<String>),
            tr::dealing.eq(None::<String>),
            tr::verification_key.eq(None::<String>),
        ))
        .execute(conn)?;
    diesel::update(el::table.find(election)).set(el::public_key.eq(None::<String>)).execute(conn)?;
    Ok(())
}

pub fn trustee_codes(conn: &mut DbConn, election: &str) -> QueryResult<Vec<String>> {
    Ok(trustees(conn, election)?.into_iter().map(|t| t.national_code).collect())
}

#[derive(Serialize, ToSchema)]
pub struct TrusteeDto {
    pub trustee: i32,
    pub name: String,
    pub transport_published: bool,
    pub dealing_published: bool,
    pub confirmed: bool,
    pub decrypted: bool,
}

pub fn trustee_dtos(rows: &[TrusteeRow]) -> Vec<TrusteeDto> {
    rows.iter()
        .map(|t| TrusteeDto {
            trustee: t.trustee,
            name: format!("{} {}", t.first_name, t.last_name),
            transport_published: t.transport.is_some(),
            dealing_published: t.dealing.is_some(),
            confirmed: t.verification_key.is_some(),
            decrypted: t.partial_decryption.is_some(),
        })
        .collect()
}

/// The ceremony's step: `transport`, `dealing`, `confirm` or `done`.
pub fn phase(rows: &[TrusteeRow]) -> &'static str {
    if rows.is_empty() || rows.iter().any(|t| t.transport.is_none()) {
        "transport"
    } else if rows.iter().any(|t| t.dealing.is_none()) {
        "dealing"
    } else if rows.iter().any(|t| t.verification_key.is_none()) {
        "confirm"
    } else {
        "done"
    }
}

#[derive(Serialize, ToSchema)]
pub struct Trusteeship {
    pub election_id: String,
    pub title: String,
    pub status: Status,
    pub trustee: i32,
    /// The ceremony's step (`transport`, `dealing`, `confirm`, `done`).
    pub phase: String,
    /// Whether the election waits on this trustee now: a ceremony step of a draft not yet done,
    /// or the partial decryption of a closed election.
    pub action_needed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Trusteeships {
    pub items: Vec<Trusteeship>,
}

/// The elections in which the signed-in person is a trustee, newest first, with what waits on
/// them — how a trustee finds a draft election's ceremony.
#[utoipa::path(tag = "trustees", security(("bearer" = [])), responses((status = 200, description = "The trusteeships", body = Trusteeships)))]
#[get("/trusteeships")]
pub async fn my_trusteeships(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Trusteeships>, ApiError> {
    let out = state
        .db(move |conn| {
            let mut items = Vec::new();
            for id in elections_of(conn, &user.person_id)? {
                let e = store::get(conn, &id)?;
                let rows = trustees(conn, &id)?;
                let Some(me) = rows.iter().find(|t| t.person_id == user.person_id) else { continue };
                let phase = phase(&rows);
                let action_needed = match e.state() {
                    Status::Draft => match phase {
                        "transport" => me.transport.is_none(),
                        "dealing" => me.dealing.is_none(),
                        "confirm" => me.verification_key.is_none(),
                        _ => false,
                    },
                    Status::Closed => me.partial_decryption.is_none(),
                    _ => false,
                };
                items.push(Trusteeship {
                    election_id: id,
                    title: e.title.clone(),
                    status: e.state(),
                    trustee: me.trustee,
                    phase: phase.into(),
                    action_needed,
                });
            }
            Ok(Trusteeships { items })
        })
        .await?;
    Ok(web::Json(out))
}
