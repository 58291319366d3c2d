//! The key ceremony (EL-10): each trustee publishes a transport key, then a dealing of shares,
//! then confirms their share; the election key is the sum, and no one ever holds it whole.

use actix_web::{get, post, web};
use anjoman_associations::api::require_manager;
use anjoman_ballot_crypto::wire::{self, DealingJson, TransportKeyJson};
use anjoman_ballot_crypto::{ceremony, threshold};
use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, CurrentUser};
use anjoman_core::db::{DbConn, write_tx};
use anjoman_core::http::AppState;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::trustees::{
    Message, TrusteeDto, TrusteeRow, clear_ceremony, phase, record_message, set_election_key, trustee_dtos, trustees,
};
use super::{invalid, my_row};
use crate::errors::ElectionsError;
use crate::model::Election;
use crate::rules::{self, Status};
use crate::store;

#[derive(Serialize, ToSchema)]
pub struct Ceremony {
    pub election_id: String,
    pub title: String,
    pub status: Status,
    pub threshold: i32,
    pub trustees: Vec<TrusteeDto>,
    /// The signed-in person's place among the trustees, if one.
    pub me: Option<i32>,
    /// `transport`, `dealing`, `confirm` or `done`.
    pub phase: String,
    /// Every trustee's transport key, once all are published.
    #[schema(value_type = Vec<std::collections::HashMap<String, serde_json::Value>>)]
    pub transports: Vec<serde_json::Value>,
    /// Every trustee's dealing (commitments, proof, encrypted shares), once all are published.
    #[schema(value_type = Vec<std::collections::HashMap<String, serde_json::Value>>)]
    pub dealings: Vec<serde_json::Value>,
    /// The election key, once every trustee has confirmed.
    pub public_key: Option<String>,
}

fn all_json(rows: &[TrusteeRow], f: impl Fn(&TrusteeRow) -> Option<&String>) -> Vec<serde_json::Value> {
    if rows.iter().all(|t| f(t).is_some()) {
        rows.iter().filter_map(|t| f(t).and_then(|s| serde_json::from_str(s).ok())).collect()
    } else {
        Vec::new()
    }
}

pub(crate) fn ceremony_of(conn: &mut DbConn, e: &Election, user: Option<&CurrentUser>) -> Result<Ceremony, ApiError> {
    let rows = trustees(conn, &e.id)?;
    let me = user.and_then(|u| rows.iter().find(|t| t.person_id == u.person_id)).map(|t| t.trustee);
    let manager = user.is_some_and(|u| require_manager(u, &e.association_id).is_ok());
    if !e.state().public() && me.is_none() && !manager {
        return Err(ApiError::NotFound);
    }
    Ok(Ceremony {
        election_id: e.id.clone(),
        title: e.title.clone(),
        status: e.state(),
        threshold: e.trustee_threshold,
        me,
        phase: phase(&rows).into(),
        transports: all_json(&rows, |t| t.transport.as_ref()),
        dealings: all_json(&rows, |t| t.dealing.as_ref()),
        public_key: e.public_key.clone(),
        trustees: trustee_dtos(&rows),
    })
}

/// The key ceremony's state and public messages: to the trustees and the association's admins
/// while a draft, to everyone once published.
#[utoipa::path(tag = "trustees", security((), ("bearer" = [])), params(("id" = String, Path, description = "The election")), responses((status = 200, description = "The ceremony", body = Ceremony), (status = 404, description = "No such election, or not visible to you", body = anjoman_core::error::ErrorBody)))]
#[get("/elections/{id}/ceremony")]
pub async fn show_ceremony(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    id: web::Path<String>,
) -> Result<web::Json<Ceremony>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            let e = store::get(conn, &id)?;
            ceremony_of(conn, &e, user.as_ref())
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct TransportBody {
    /// `{trustee, key, proof: {challenge, response}}` (ballot-crypto's `TransportKeyJson`).
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub transport: serde_json::Value,
}

/// Round 1: the trustee publishes its transport key (made on its device) with a proof.
#[utoipa::path(tag = "trustees", security(("bearer" = [])), params(("id" = String, Path, description = "The election")), request_body = TransportBody, responses((status = 200, description = "Published", body = Ceremony), (status = 400, description = "The proof does not verify", body = anjoman_core::error::ErrorBody), (status = 403, description = "`not_a_trustee`", body = anjoman_core::error::ErrorBody), (status = 409, description = "`already_done` or `wrong_election_state`", body = anjoman_core::error::ErrorBody)))]
#[post("/elections/{id}/ceremony/transport")]
pub async fn publish_transport(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<TransportBody>,
) -> Result<web::Json<Ceremony>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let (e, rows, i) = my_row(conn, &user, &id, &[Status::Draft])?;
                let j = rows[i].trustee as u32;
                if rows[i].transport.is_some() {
                    return Err(ElectionsError::TransportKeyPublished.into());
                }
                let t: TransportKeyJson =
                    serde_json::from_value(body.into_inner().transport).map_err(|x| invalid("transport", x))?;
                let key = wire::parse_point(&t.key).map_err(|x| invalid("transport", x))?;
                let proof = wire::schnorr_parse(&t.proof).map_err(|x| invalid("transport", x))?;
                if t.trustee != j {
                    return Err(invalid("transport", "another trustee's place"));
                }
                proof.verify(&id, &ceremony::transport_label(j), &key).map_err(|x| invalid("transport", x))?;
                let json = serde_json::to_string(&t).map_err(|_| ApiError::Internal)?;
                record_message(conn, &id, j, Message::Transport(&json))?;
                audit::record(
                    conn,
                    Event::new("election.trustee_transport", "election", Some(&id)).by(&user.person_id),
                )?;
                ceremony_of(conn, &e, Some(&user))
            })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct DealingBody {
    /// `{trustee, commitments, proof, shares: [{to, ephemeral, masked}]}` (`DealingJson`).
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub dealing: serde_json::Value,
}

/// Round 2: once every transport key is out, the trustee publishes its dealing: commitments to
/// its polynomial, a proof, and one share for every trustee, encrypted to its transport key.
#[utoipa::path(tag = "trustees", security(("bearer" = [])), params(("id" = String, Path, description = "The election")), request_body = DealingBody, responses((status = 200, description = "Published", body = Ceremony), (status = 400, description = "The dealing does not verify", body = anjoman_core::error::ErrorBody), (status = 403, description = "`not_a_trustee`", body = anjoman_core::error::ErrorBody), (status = 409, description = "`ceremony_waiting`, `already_done` or `wrong_election_state`", body = anjoman_core::error::ErrorBody)))]
#[post("/elections/{id}/ceremony/dealing")]
pub async fn publish_dealing(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<DealingBody>,
) -> Result<web::Json<Ceremony>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let (e, rows, i) = my_row(conn, &user, &id, &[Status::Draft])?;
                let j = rows[i].trustee as u32;
                if phase(&rows) == "transport" {
                    return Err(ElectionsError::AwaitingTransportKeys.into());
                }
                if rows[i].dealing.is_some() {
                    return Err(ElectionsError::DealingPublished.into());
                }
                let d: DealingJson =
                    serde_json::from_value(body.into_inner().dealing).map_err(|x| invalid("dealing", x))?;
                let (dealing, shares) = wire::dealing_parse(&d).map_err(|x| invalid("dealing", x))?;
                if d.trustee != j {
                    return Err(invalid("dealing", "another trustee's place"));
                }
                dealing.verify(&id, e.trustee_threshold as u32).map_err(|x| invalid("dealing", x))?;
                let mut to: Vec<u32> = shares.iter().map(|s| s.to).collect();
                to.sort_unstable();
                if to != (1..=rows.len() as u32).collect::<Vec<_>>() {
                    return Err(invalid("dealing", "one share for every trustee is needed"));
                }
                let json = serde_json::to_string(&d).map_err(|_| ApiError::Internal)?;
                record_message(conn, &id, j, Message::Dealing(&json))?;
                audit::record(conn, Event::new("election.trustee_dealing", "election", Some(&id)).by(&user.person_id))?;
                ceremony_of(conn, &e, Some(&user))
            })
        })
        .await?;
    Ok(web::Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct ConfirmBody {
    /// `x_j·G` for the key share the trustee computed and kept (hex).
    pub verification_key: String,
}

fn dealings_of(rows: &[TrusteeRow]) -> Result<Vec<threshold::Dealing>, ApiError> {
    rows.iter()
        .map(|t| {
            let d: DealingJson =
                serde_json::from_str(t.dealing.as_deref().unwrap_or_default()).map_err(|_| ApiError::Internal)?;
            Ok(wire::dealing_parse(&d).map_err(|_| ApiError::Internal)?.0)
        })
        .collect()
}

/// Round 3: the trustee opened and checked its shares, and confirms the verification key of the
/// key share it keeps. When all have, the election key is set.
#[utoipa::path(tag = "trustees", security(("bearer" = [])), params(("id" = String, Path, description = "The election")), request_body = ConfirmBody, responses((status = 200, description = "Confirmed", body = Ceremony), (status = 400, description = "Not the key the dealings imply", body = anjoman_core::error::ErrorBody), (status = 403, description = "`not_a_trustee`", body = anjoman_core::error::ErrorBody), (status = 409, description = "`ceremony_waiting`, `already_done` or `wrong_election_state`", body = anjoman_core::error::ErrorBody)))]
#[post("/elections/{id}/ceremony/confirm")]
pub async fn confirm_share(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<ConfirmBody>,
) -> Result<web::Json<Ceremony>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let (_, rows, i) = my_row(conn, &user, &id, &[Status::Draft])?;
                let j = rows[i].trustee as u32;
                if matches!(phase(&rows), "transport" | "dealing") {
                    return Err(ElectionsError::AwaitingDealings.into());
                }
                if rows[i].verification_key.is_some() {
                    return Err(ElectionsError::ShareConfirmed.into());
                }
                let dealings = dealings_of(&rows)?;
                let expected = wire::point_hex(&threshold::verification_key(&dealings, j));
                if body.verification_key != expected {
                    return Err(ApiError::field(
                        "verification_key",
                        "این کلید با سهم‌های منتشرشده نمی‌خواند.",
                        "This key does not match the published dealings.",
                    ));
                }
                record_message(conn, &id, j, Message::VerificationKey(&expected))?;
                let rows = trustees(conn, &id)?;
                if phase(&rows) == "done" {
                    let key = wire::point_hex(&threshold::election_key(&dealings));
                    set_election_key(conn, &id, &key)?;
                }
                audit::record(
                    conn,
                    Event::new("election.trustee_confirmed", "election", Some(&id)).by(&user.person_id),
                )?;
                let e = store::get(conn, &id)?;
                ceremony_of(conn, &e, Some(&user))
            })
        })
        .await?;
    Ok(web::Json(out))
}

/// Starts the ceremony over (a trustee lost its device, or found a bad share): every message and
/// the election key are dropped. The association's admins, while a draft.
#[utoipa::path(tag = "trustees", security(("bearer" = [])), params(("id" = String, Path, description = "The election")), responses((status = 200, description = "Restarted", body = Ceremony), (status = 409, description = "`wrong_election_state`", body = anjoman_core::error::ErrorBody)))]
#[post("/elections/{id}/ceremony/restart")]
pub async fn restart_ceremony(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Ceremony>, ApiError> {
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let e = store::get(conn, &id)?;
                require_manager(&user, &e.association_id)?;
                rules::require(e.state(), &[Status::Draft])?;
                clear_ceremony(conn, &id)?;
                audit::record(
                    conn,
                    Event::new("election.ceremony_restarted", "election", Some(&id)).by(&user.person_id),
                )?;
                let e = store::get(conn, &id)?;
                ceremony_of(conn, &e, Some(&user))
            })
        })
        .await?;
    Ok(web::Json(out))
}
