//! Creating accounts outside self-registration: the first holder of each top-level role from the
//! command line (`anjoman create-admin`), and demo data.

use anjoman_core::audit::{self, Event};
use anjoman_core::auth::{Role, ScopeKind, password};
use anjoman_core::config::Config;
use anjoman_core::db::{DbConn, write_tx};
use anjoman_core::text::NationalCode;

use crate::rules::{NewPerson, RegistrationInput};
use crate::store;

/// Someone to create with a password and one role.
pub struct Provision<'a> {
    pub national_code: &'a str,
    pub password: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub role: Option<Role>,
    /// The scope of the role, for scoped roles (a province's engineering admins).
    pub scope: Option<(ScopeKind, &'a str)>,
    /// The password was issued by someone else: the person must change it at first login.
    pub must_change_password: bool,
}

/// What happened to the person.
#[derive(Debug, PartialEq, Eq)]
pub enum Provisioned {
    Created(String),
    /// The national code was already registered: the role was granted, the password kept.
    RoleGranted(String),
    /// The person was recorded by an organisation without an account: the account was opened
    /// with the given password and the role granted.
    AccountOpened(String),
}

/// Creates the person (or finds them) and grants the role; audited as done by `actor`.
pub fn provision(conn: &mut DbConn, config: &Config, p: &Provision<'_>, actor: &str) -> Result<Provisioned, String> {
    let code = NationalCode::parse(p.national_code).map_err(|e| e.message_en().to_owned())?;
    let existing = store::person_id_by_code(conn, code.as_str()).map_err(|e| e.to_string())?;
    let new_person = if existing.is_none() {
        // The password policy does not apply to issued passwords that must be changed anyway
        // (ID-03: a reset to the national code).
        let checked = if p.must_change_password {
            Ok(NewPerson {
                national_code: code.clone(),
                first_name: p.first_name.to_owned(),
                last_name: p.last_name.to_owned(),
                mobile: None,
                email: None,
            })
        } else {
            crate::rules::registration(
                &config.password,
                &RegistrationInput {
                    national_code: p.national_code,
                    password: p.password,
                    first_name: p.first_name,
                    last_name: p.last_name,
                    mobile: None,
                    email: None,
                },
            )
        };
        Some(checked.map_err(|e| describe(&e))?)
    } else {
        None
    };
    let without_account = match &existing {
        Some(id) => store::account(conn, id).map_err(|e| e.to_string())?.is_none(),
        None => false,
    };
    if without_account && !p.must_change_password {
        let mut errors = anjoman_core::FieldErrors::new();
        crate::rules::password(&mut errors, "password", &config.password, p.password, Some(&code));
        errors.into_result().map_err(|e| describe(&e))?;
    }
    let hash = (new_person.is_some() || without_account).then(|| password::hash_password(&config.argon2, p.password));
    write_tx(conn, |conn| {
        let (id, outcome) = match (&existing, &new_person, &hash) {
            (Some(id), _, Some(hash)) => {
                store::insert_account(conn, id, hash, p.must_change_password)?;
                (id.clone(), Provisioned::AccountOpened(id.clone()))
            }
            (Some(id), _, None) => (id.clone(), Provisioned::RoleGranted(id.clone())),
            (None, Some(person), Some(hash)) => {
                let id = store::insert_person(conn, person, hash, p.must_change_password)?;
                (id.clone(), Provisioned::Created(id))
            }
            _ => return Err(diesel::result::Error::RollbackTransaction),
        };
        if let Some(role) = p.role {
            store::grant_role(conn, &id, role, p.scope, None)?;
        }
        let after = serde_json::json!({
            "national_code": code.as_str(),
            "role": p.role.map(Role::as_str),
            "scope_id": p.scope.map(|(_, id)| id),
            "by": actor,
        });
        audit::record(conn, Event::new("person.provisioned", "person", Some(&id)).states(None, Some(after)))?;
        Ok(outcome)
    })
    .map_err(|e: diesel::result::Error| e.to_string())
}

fn describe(e: &anjoman_core::ApiError) -> String {
    let body = e.body(anjoman_core::Lang::En);
    let mut out = body.message;
    for (field, msgs) in body.fields {
        out.push_str(&format!("\n  {field}: {}", msgs.join(" ")));
    }
    out
}
