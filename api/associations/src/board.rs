//! The board of directors (AS-05): positions held by approved members with start and end
//! dates; one current holder per single-seat position, enforced by a unique index; closed terms
//! stay as history.

use actix_web::{HttpResponse, get, post, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::AuthUser;
use anjoman_core::db::schema::board_positions as bp;
use anjoman_core::db::{DbConn, new_id, now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::{ApiError, FieldErrors, Msg};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::require_manager;
use crate::errors::AssociationsError;
use crate::rules::MembershipStatus;
use crate::store;

/// Positions on a board (سمت‌ها).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    President,
    VicePresident,
    Secretary,
    Treasurer,
    BoardMember,
    AlternateMember,
    Inspector,
    AlternateInspector,
}

impl Position {
    pub const ALL: [Position; 8] = [
        Position::President,
        Position::VicePresident,
        Position::Secretary,
        Position::Treasurer,
        Position::BoardMember,
        Position::AlternateMember,
        Position::Inspector,
        Position::AlternateInspector,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Position::President => "president",
            Position::VicePresident => "vice_president",
            Position::Secretary => "secretary",
            Position::Treasurer => "treasurer",
            Position::BoardMember => "board_member",
            Position::AlternateMember => "alternate_member",
            Position::Inspector => "inspector",
            Position::AlternateInspector => "alternate_inspector",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

#[derive(Serialize, ToSchema)]
pub struct BoardSeat {
    pub id: String,
    pub position: Position,
    pub person_id: String,
    pub first_name: String,
    pub last_name: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    /// Set when the term was closed; the seat is then history.
    pub closed_on: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct Board {
    /// Current holders, in the order of positions.
    pub current: Vec<BoardSeat>,
    /// Closed terms, newest first.
    pub past: Vec<BoardSeat>,
}

type SeatRow = (String, String, String, String, String, NaiveDate, Option<NaiveDate>, Option<NaiveDate>);

/// A seat as stored, before the holder's name is added.
type Seat = (String, String, String, NaiveDate, Option<NaiveDate>, Option<NaiveDate>);

/// The association's board (public).
#[utoipa::path(tag = "associations", params(("id" = String, Path, description = "The association")), responses((status = 200, description = "Current and past board", body = Board), (status = 404, description = "No such association", body = anjoman_core::error::ErrorBody)))]
#[get("/associations/{id}/board")]
pub async fn show_board(state: web::Data<AppState>, id: web::Path<String>) -> Result<web::Json<Board>, ApiError> {
    Ok(web::Json(load_board(&state, id.into_inner()).await?))
}

async fn load_board(state: &AppState, aid: String) -> Result<Board, ApiError> {
    let rows: Vec<SeatRow> = state
        .db(move |conn| {
            store::get(conn, &aid)?.ok_or(ApiError::NotFound)?;
            let seats: Vec<Seat> = bp::table
                .filter(bp::association_id.eq(&aid))
                .order((bp::start_date.desc(), bp::created_at.desc()))
                .select((bp::id, bp::position, bp::person_id, bp::start_date, bp::end_date, bp::closed_on))
                .load(conn)?;
            let ids: Vec<String> = seats.iter().map(|s| s.2.clone()).collect();
            let persons = anjoman_identity::store::persons_by_id(conn, &ids)?;
            Ok(seats
                .into_iter()
                .filter_map(|(id, position, person_id, start, end, closed)| {
                    let p = persons.get(&person_id)?;
                    Some((id, position, person_id, p.first_name.clone(), p.last_name.clone(), start, end, closed))
                })
                .collect())
        })
        .await?;
    let mut current = Vec::new();
    let mut past = Vec::new();
    for (id, position, person_id, first_name, last_name, start_date, end_date, closed_on) in rows {
        let Some(position) = Position::parse(&position) else { continue };
        let seat = BoardSeat { id, position, person_id, first_name, last_name, start_date, end_date, closed_on };
        if closed_on.is_some() { past.push(seat) } else { current.push(seat) }
    }
    current.sort_by_key(|s| Position::ALL.iter().position(|p| *p == s.position));
    Ok(Board { current, past })
}

#[derive(Deserialize, ToSchema)]
pub struct AssignSeat {
    pub national_code: String,
    pub position: String,
    /// `YYYY-MM-DD`
    pub start_date: String,
    /// `YYYY-MM-DD`, the planned end of the term.
    pub end_date: Option<String>,
}

fn date(e: &mut FieldErrors, field: &str, v: &str) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(&anjoman_core::text::normalize_digits(v.trim()), "%Y-%m-%d").ok();
    if parsed.is_none() {
        e.add(field, Msg::new("تاریخ باید به شکل YYYY-MM-DD باشد.", "The date must be YYYY-MM-DD."));
    }
    parsed
}

/// Assigns a board position to an approved member (the association's admins).
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The association")),
    request_body = AssignSeat,
    responses(
        (status = 201, description = "Assigned", body = Board),
        (status = 400, description = "Invalid fields, or not an approved member", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not an admin of this association", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`position_taken`: a single-seat position has a current holder", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/associations/{id}/board")]
pub async fn assign_seat(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<AssignSeat>,
) -> Result<HttpResponse, ApiError> {
    let aid = id.into_inner();
    require_manager(&user, &aid)?;
    let Term { code, position, start, end } = Term::check(&body)?;
    let (a2, actor) = (aid.clone(), user.person_id.clone());
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                store::get(conn, &a2)?.ok_or(ApiError::NotFound)?;
                let person = approved_member(conn, &a2, &code)?;
                let seat = new_id();
                insert_seat(conn, &seat, &a2, &person, position, start, end)?;
                audit::record(
                    conn,
                    Event::new("board.assigned", "board_position", Some(&seat))
                        .by(&actor)
                        .states(None, Some(serde_json::json!({"position": position.as_str(), "person_id": person}))),
                )?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(load_board(&state, aid).await?))
}

/// A term of office as checked: who, which position, from when and (for a past term) until when.
struct Term {
    code: anjoman_core::text::NationalCode,
    position: Position,
    start: NaiveDate,
    end: Option<NaiveDate>,
}

impl Term {
    fn check(body: &AssignSeat) -> Result<Term, ApiError> {
        let mut e = FieldErrors::new();
        let code = anjoman_core::text::NationalCode::parse(&body.national_code)
            .map_err(|x| e.add("national_code", Msg::new(x.message_fa(), x.message_en())))
            .ok();
        let position = Position::parse(&body.position);
        if position.is_none() {
            e.add("position", Msg::new("سمت نامعتبر است.", "Unknown position."));
        }
        let start = date(&mut e, "start_date", &body.start_date);
        let end = body.end_date.as_deref().filter(|s| !s.trim().is_empty()).and_then(|v| date(&mut e, "end_date", v));
        if let (Some(s), Some(x)) = (start, end)
            && x <= s
        {
            e.add("end_date", Msg::new("پایان دوره باید پس از آغاز آن باشد.", "The term must end after it starts."));
        }
        e.into_result()?;
        match (code, position, start) {
            (Some(code), Some(position), Some(start)) => Ok(Term { code, position, start, end }),
            _ => Err(ApiError::Internal),
        }
    }
}

/// The person with this national code, if an approved member of the association.
fn approved_member(conn: &mut DbConn, aid: &str, code: &anjoman_core::text::NationalCode) -> Result<String, ApiError> {
    let person = anjoman_identity::store::person_id_by_code(conn, code.as_str())?.ok_or_else(|| {
        ApiError::field(
            "national_code",
            "کسی با این کد ملی ثبت‌نام نکرده است.",
            "No one with this national code is registered.",
        )
    })?;
    let member =
        store::membership_of(conn, aid, &person)?.is_some_and(|m| m.status == MembershipStatus::Approved.as_str());
    if !member {
        return Err(ApiError::field(
            "national_code",
            "فقط اعضای تأییدشدهٔ انجمن سمت می‌گیرند.",
            "Only approved members of the association can hold a position.",
        ));
    }
    Ok(person)
}

/// A seat; the one-current-holder index refuses a second holder of a position (`position_taken`).
fn insert_seat(
    conn: &mut DbConn,
    seat: &str,
    aid: &str,
    person: &str,
    position: Position,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> Result<(), ApiError> {
    diesel::insert_into(bp::table)
        .values((
            bp::id.eq(seat),
            bp::association_id.eq(aid),
            bp::person_id.eq(person),
            bp::position.eq(position.as_str()),
            bp::start_date.eq(start),
            bp::end_date.eq(end),
            bp::created_at.eq(now()),
        ))
        .execute(conn)
        .map_err(|err| match ApiError::from(err) {
            ApiError::Conflict { .. } => AssociationsError::PositionTaken.into(),
            other => other,
        })?;
    Ok(())
}

#[derive(Deserialize, ToSchema)]
pub struct CloseSeat {
    /// `YYYY-MM-DD`; today when left out.
    pub closed_on: Option<String>,
}

/// Closes a term; the seat stays in the board's history (the association's admins).
#[utoipa::path(
    tag = "associations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The board position")),
    request_body = CloseSeat,
    responses(
        (status = 204, description = "Closed"),
        (status = 403, description = "Not an admin of its association", body = anjoman_core::error::ErrorBody),
        (status = 409, description = "`already_closed`", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/board-positions/{id}/close")]
pub async fn close_seat(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<CloseSeat>,
) -> Result<HttpResponse, ApiError> {
    let mut e = FieldErrors::new();
    let on = match body.closed_on.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(v) => date(&mut e, "closed_on", v),
        None => Some(chrono::Utc::now().date_naive()),
    };
    e.into_result()?;
    let on = on.ok_or(ApiError::Internal)?;
    let seat = id.into_inner();
    let association = {
        let s = seat.clone();
        state.db(move |conn| seat_association(conn, &s)).await?
    };
    require_manager(&user, &association)?;
    let actor = user.person_id.clone();
    state.db(move |conn| write_tx(conn, |conn| close_term(conn, &seat, on, &actor))).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The association a seat belongs to.
fn seat_association(conn: &mut DbConn, seat: &str) -> Result<String, ApiError> {
    bp::table.find(seat).select(bp::association_id).first(conn).optional()?.ok_or(ApiError::NotFound)
}

/// Ends an open term on a date (`already_closed` when it was closed); audited.
fn close_term(conn: &mut DbConn, seat: &str, on: NaiveDate, actor: &str) -> Result<(), ApiError> {
    let n =
        diesel::update(bp::table.find(seat).filter(bp::closed_on.is_null())).set(bp::closed_on.eq(on)).execute(conn)?;
    if n == 0 {
        return Err(AssociationsError::AlreadyClosed.into());
    }
    audit::record(conn, Event::new("board.closed", "board_position", Some(seat)).by(actor))?;
    Ok(())
}
