//! Migration of existing officers (TO-10): a CSV of officers and their current distributor, all
//! rows or none. Each officer becomes a qualified officer (their qualification predates this
//! system); people without an account get one with the password hash carried over from the
//! previous system (bcrypt or argon2, re-hashed at first login) or else a random password that
//! nobody knows — they set their own through "forgot password" (ID-03). The distributor is found by name or created
//! with its manager, and the officer becomes the technical officer of its central branch.

mod rows;

use actix_web::{post, web};
use anjoman_core::ApiError;
use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{AuthUser, Role, ScopeKind, password};
use anjoman_core::db::schema::{branches as br, distributors as di, officers as o};
use anjoman_core::db::{DbConn, new_id, now};
use anjoman_core::http::AppState;
use anjoman_core::import::{Rejections, all_or_none};
use anjoman_core::text::NationalCode;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use rows::{MAX_BYTES, parse};

use crate::distributors::model::{NewBranch, NewCoop, NewDistributor};
use crate::distributors::rules::CoopStatus;
use crate::registration::model::NewOfficer;
use crate::{distributors, registration};

#[derive(Deserialize, IntoParams)]
pub struct OfficerImportQuery {
    /// Only check the rows and report; import nothing.
    pub dry_run: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct OfficerImportReport {
    pub rows: usize,
    /// Officers added (0 on a dry run).
    pub imported: usize,
    /// Accounts created: with the `password_hash` carried over, or else a random password to be
    /// set through "forgot password".
    pub new_accounts: usize,
    /// Distributors created (the others were found by name).
    pub new_distributors: usize,
    pub dry_run: bool,
}

fn person_id(conn: &mut DbConn, code: &str) -> QueryResult<Option<String>> {
    anjoman_identity::store::person_id_by_code(conn, code)
}

/// An account for the person, created when missing: with the password hash carried over from the
/// previous system, or else a random password nobody knows (ID-03). An existing account keeps its
/// own password.
#[allow(clippy::too_many_arguments)]
fn ensure_account(
    conn: &mut DbConn,
    config: &anjoman_core::Config,
    code: &NationalCode,
    first: &str,
    last: &str,
    mobile: Option<&str>,
    email: Option<&str>,
    imported_hash: Option<&str>,
) -> Result<(String, bool), ApiError> {
    let existing = person_id(conn, code.as_str())?;
    let has_account = match &existing {
        Some(id) => anjoman_identity::store::account_by_code(conn, code.as_str())?.is_some_and(|a| a.person_id == *id),
        None => false,
    };
    if has_account {
        return Ok((existing.unwrap_or_default(), false));
    }
    let hash = match imported_hash {
        Some(h) => h.to_owned(),
        None => password::hash_password(&config.argon2, &password::random_password()),
    };
    let id = match existing {
        Some(id) => id,
        None => anjoman_identity::store::insert_person_record(
            conn,
            &anjoman_identity::rules::NewPerson {
                national_code: code.clone(),
                first_name: first.to_owned(),
                last_name: last.to_owned(),
                mobile: mobile.map(str::to_owned),
                email: email.map(str::to_owned),
            },
        )?,
    };
    anjoman_identity::store::insert_account(conn, &id, &hash, false)?;
    Ok((id, true))
}

/// Imports existing officers and their current distributor as its central branch (the
/// directorate, TO-10). The body is the CSV (UTF-8, a heading line; Persian headings work):
/// `national_code, first_name, last_name, birth_date (YYYY-MM-DD), father_name, gender,
/// id_card_number, mobile, email, address, province, city, field, degree_level` and optionally
/// `distributor, distributor_kind (company|guild), manager_national_code` and `password_hash` (the
/// previous system's bcrypt `$2a$/$2b$/$2y$` or argon2 PHC hash, with bounded cost: the officer logs
/// in with their old password, which is then re-hashed as argon2id). All rows or none:
/// any rejected row answers `import_rejected` with `rows[<line>].<column>` in `fields`.
#[utoipa::path(
    tag = "officers",
    security(("bearer" = [])),
    params(OfficerImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The CSV file"),
    responses(
        (status = 200, description = "Imported (or, on a dry run, would import)", body = OfficerImportReport),
        (status = 400, description = "`import_rejected` with the rejected rows in `fields`; `import_columns_missing`, `import_empty`, `import_not_utf8`, `import_too_large`", body = anjoman_core::error::ErrorBody),
        (status = 403, description = "Not the directorate", body = anjoman_core::error::ErrorBody),
    )
)]
#[post("/officers/import")]
pub async fn import_officers(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<OfficerImportQuery>,
    body: web::Payload,
) -> Result<web::Json<OfficerImportReport>, ApiError> {
    user.require(&[Role::DirectorateAdmin.any()])?;
    let bytes = anjoman_core::import::read_upload(body, MAX_BYTES).await?;
    let dry_run = q.dry_run.unwrap_or(false);
    let config = state.config.clone();
    let report = state
        .db(move |conn| {
            let mut rejected = Rejections::default();
            let rows = parse(conn, &bytes, &mut rejected)?;
            all_or_none(conn, &rows, rejected, check_row, |conn| {
                let n = rows.len();
                if dry_run {
                    return Ok(OfficerImportReport { rows: n, imported: 0, new_accounts: 0, new_distributors: 0, dry_run });
                }
                let mut tally = Tally::default();
                for r in &rows {
                    write_row(conn, &config, &user.person_id, r, &mut tally)?;
                }
                let Tally { new_accounts, new_distributors } = tally;
                audit::record(
                    conn,
                    Event::new("officers.imported", "officers", None).by(&user.person_id).states(
                        None,
                        Some(serde_json::json!({"officers": n, "new_accounts": new_accounts, "new_distributors": new_distributors})),
                    ),
                )?;
                Ok(OfficerImportReport { rows: n, imported: n, new_accounts, new_distributors, dry_run })
            })
        })
        .await?;
    Ok(web::Json(report))
}

/// What the writes made beside the officers.
#[derive(Default)]
struct Tally {
    new_accounts: usize,
    new_distributors: usize,
}

/// A row against the database: the person is not a technical officer yet.
fn check_row(conn: &mut DbConn, r: &rows::Row, rejected: &mut Rejections) -> Result<(), ApiError> {
    if let Some(pid) = person_id(conn, r.code.as_str())?
        && o::table.find(&pid).select(o::person_id).first::<String>(conn).optional()?.is_some()
    {
        rejected.add(
            r.line,
            "national_code",
            "این شخص پیش‌تر مسئول فنی ثبت شده است.",
            "This person is already a technical officer.",
        );
    }
    Ok(())
}

/// Writes one row: the account (when missing), the qualified officer and the role, and — with a
/// distributor — the distributor (found by name or created with its manager), the branch and an
/// active cooperation.
fn write_row(
    conn: &mut DbConn,
    config: &anjoman_core::Config,
    actor: &str,
    r: &rows::Row,
    tally: &mut Tally,
) -> Result<(), ApiError> {
    let at = now();
    let (officer, created) = ensure_account(
        conn,
        config,
        &r.code,
        &r.first_name,
        &r.last_name,
        r.mobile.as_deref(),
        r.email.as_deref(),
        r.password_hash.as_deref(),
    )?;
    tally.new_accounts += usize::from(created);
    if anjoman_identity::store::person_of(conn, &officer)?.birth_date.is_none() {
        let birth =
            anjoman_identity::rules::ProfileChanges { birth_date: Some(Some(r.birth_date)), ..Default::default() };
        anjoman_identity::store::update_person(conn, &officer, &birth)?;
    }
    let row = NewOfficer {
        person_id: &officer,
        father_name: &r.father_name,
        gender: r.gender,
        id_card_number: &r.id_card_number,
        phone: None,
        address: &r.address,
        province_id: &r.province,
        city_id: &r.city,
        field: &r.field,
        degree_level: r.degree.as_str(),
        documents: "[]".into(),
        qualified_at: Some(at),
        created_at: at,
        updated_at: at,
    };
    registration::store::insert(conn, &row)?;
    anjoman_identity::store::grant_role(conn, &officer, Role::TechnicalOfficer, None, None)?;
    let Some((name, kind, manager_code)) = &r.distributor else { return Ok(()) };
    let found: Option<String> = di::table.filter(di::name.eq(name)).select(di::id).first(conn).optional()?;
    let distributor = match found {
        Some(id) => id,
        None => {
            let (manager, created) = ensure_account(conn, config, manager_code, "مدیر", name, None, None, None)?;
            tally.new_accounts += usize::from(created);
            let id = new_id();
            let row = NewDistributor { id: &id, name, kind, manager_id: &manager, created_at: at };
            distributors::store::insert_distributor(conn, &row)?;
            anjoman_identity::store::grant_role(
                conn,
                &manager,
                Role::DistributorManager,
                Some((ScopeKind::Distributor, &id)),
                Some(actor),
            )?;
            tally.new_distributors += 1;
            id
        }
    };
    let central: Option<(String, Option<String>)> = br::table
        .filter(br::distributor_id.eq(&distributor))
        .filter(br::is_central.eq(true))
        .select((br::id, br::officer_id))
        .first(conn)
        .optional()?;
    // The officer is the central branch's; a central branch that already has one
    // gets a new branch named after the officer's city.
    let branch = match central {
        Some((id, None)) => id,
        other => {
            let id = new_id();
            let row = NewBranch {
                id: &id,
                distributor_id: &distributor,
                name: if other.is_none() { "دفتر مرکزی" } else { "شعبه" },
                is_central: other.is_none(),
                province_id: &r.province,
                city_id: &r.city,
                address: &r.address,
                created_at: at,
            };
            distributors::store::insert_branch(conn, &row)?;
            id
        }
    };
    distributors::store::seat_officer(conn, &branch, &officer)?;
    let row = NewCoop {
        id: &new_id(),
        branch_id: &branch,
        distributor_id: &distributor,
        officer_id: &officer,
        province_id: &r.province,
        status: CoopStatus::Active.as_str(),
        created_at: at,
        updated_at: at,
    };
    distributors::store::insert_coop(conn, &row)?;
    Ok(())
}
