//! The provincial engineering organisations (EN-01, EN-02): their renewal rules, set by their
//! admins, and the experts they name.

use actix_web::{get, post, put, web};
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role};
use anjoman_core::db::{now, write_tx};
use anjoman_core::http::AppState;
use anjoman_core::text::NationalCode;
use anjoman_core::{ApiError, FieldErrors, Msg};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::shared::{clean, expert_of};
use crate::store::{self, EngineeringOrg, OrgChanges};

/// Every provincial engineering organisation and its renewal rules.
#[utoipa::path(tag = "engineers", responses((status = 200, description = "The organisations", body = [EngineeringOrg])))]
#[get("/engineering/provinces")]
pub async fn list_orgs(state: web::Data<AppState>) -> Result<web::Json<Vec<EngineeringOrg>>, ApiError> {
    let orgs = state.db(|conn| Ok(store::orgs(conn)?)).await?;
    Ok(web::Json(orgs))
}

#[derive(Deserialize, ToSchema)]
pub struct OrgSettings {
    pub name: String,
    /// 1 to 365
    pub renewal_window_days: i32,
    /// More than zero.
    pub annual_fee_rials: i64,
    /// 1 to 5
    pub renewal_years: i32,
}

/// Sets a province's organisation's name and renewal rules (its admins and experts). Renewals
/// already assessed keep the amount they were given.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("province_id" = String, Path, description = "The province")),
    request_body = OrgSettings,
    responses(
        (status = 200, description = "Saved", body = EngineeringOrg),
        (status = 400, description = "Invalid fields", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not this province's organisation", body = anjoman_core::error::ErrorBody),
    )
)]
#[put("/engineering/provinces/{province_id}")]
pub async fn update_org(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: web::Json<OrgSettings>,
) -> Result<web::Json<EngineeringOrg>, ApiError> {
    let province = path.into_inner();
    expert_of(&user, &province)?;
    let b = body.into_inner();
    let mut e = FieldErrors::new();
    let name = clean(&b.name);
    if name.is_empty() || name.chars().count() > 200 {
        e.add("name", Msg::new("نام سازمان را بنویسید.", "Write the organisation's name."));
    }
    if !(1..=365).contains(&b.renewal_window_days) {
        e.add("renewal_window_days", Msg::new("بین ۱ تا ۳۶۵ روز.", "Between 1 and 365 days."));
    }
    if b.annual_fee_rials <= 0 || b.annual_fee_rials > 1_000_000_000_000 {
        e.add(
            "annual_fee_rials",
            Msg::new("حق عضویت سالانه باید بیش از صفر باشد.", "The annual fee must be more than zero."),
        );
    }
    if !(1..=5).contains(&b.renewal_years) {
        e.add("renewal_years", Msg::new("بین ۱ تا ۵ سال.", "Between 1 and 5 years."));
    }
    e.into_result()?;
    let saved = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let settings = OrgChanges {
                    name: &name,
                    renewal_window_days: b.renewal_window_days,
                    annual_fee_rials: b.annual_fee_rials,
                    renewal_years: b.renewal_years,
                    updated_at: now(),
                };
                if !store::update_org(conn, &province, &settings)? {
                    return Err(ApiError::NotFound);
                }
                let saved = store::org(conn, &province)?.ok_or(ApiError::NotFound)?;
                audit::record(
                    conn,
                    Event::new("engineering.org_updated", "province", Some(&province))
                        .by(&user.person_id)
                        .states(None, serde_json::to_value(&saved).ok()),
                )?;
                Ok(saved)
            })
        })
        .await?;
    Ok(web::Json(saved))
}

#[derive(Deserialize, ToSchema)]
pub struct NewExpert {
    /// A registered person's national code.
    pub national_code: String,
}

/// Names another admin or expert of the province's organisation (its admins).
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    params(("province_id" = String, Path, description = "The province")),
    request_body = NewExpert,
    responses(
        (status = 204, description = "Named"),
        (status = 400, description = "Invalid or unknown national code", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not this province's organisation", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/engineering/provinces/{province_id}/experts")]
pub async fn add_expert(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    user: AuthUser,
    path: web::Path<String>,
    body: web::Json<NewExpert>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let province = path.into_inner();
    expert_of(&user, &province)?;
    let code = NationalCode::parse(&body.national_code)
        .map_err(|err| ApiError::field("national_code", err.message_fa(), err.message_en()))?;
    let ip = anjoman_core::http::client_ip(&req, state.config.trust_forwarded_for);
    let hooks = state.hooks.clone();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let Some(person) = anjoman_identity::store::person_id_by_code(conn, code.as_str())? else {
                    return Err(ApiError::field(
                        "national_code",
                        "کسی با این کد ملی ثبت‌نام نکرده است.",
                        "Nobody with this national code has registered.",
                    ));
                };
                anjoman_identity::roles::grant(
                    conn,
                    &hooks,
                    &user.person_id,
                    Some(&ip),
                    &person,
                    Role::EngineeringAdmin,
                    Some(&province),
                )?;
                Ok(())
            })
        })
        .await?;
    Ok(actix_web::HttpResponse::NoContent().finish())
}
