//! Rows of `distributors`, `branches` and `cooperations`, and the forms that write them.

use anjoman_core::db::schema::{branches as br, cooperations as co, distributors as di};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rules::CoopStatus;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = di)]
pub struct Distributor {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub manager_id: String,
}

#[derive(Insertable)]
#[diesel(table_name = di)]
pub struct NewDistributor<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub manager_id: &'a str,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = br)]
pub struct Branch {
    pub id: String,
    pub distributor_id: String,
    pub name: String,
    pub is_central: bool,
    pub province_id: String,
    pub city_id: String,
    pub address: String,
    pub officer_id: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = br)]
pub struct NewBranch<'a> {
    pub id: &'a str,
    pub distributor_id: &'a str,
    pub name: &'a str,
    pub is_central: bool,
    pub province_id: &'a str,
    pub city_id: &'a str,
    pub address: &'a str,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = co)]
pub struct Coop {
    pub id: String,
    pub branch_id: String,
    pub distributor_id: String,
    pub officer_id: String,
    pub province_id: String,
    pub status: String,
    pub reviewer_id: Option<String>,
    pub reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Coop {
    pub fn state(&self) -> CoopStatus {
        CoopStatus::parse(&self.status).unwrap_or(CoopStatus::AwaitingOfficer)
    }
}

#[derive(Insertable)]
#[diesel(table_name = co)]
pub struct NewCoop<'a> {
    pub id: &'a str,
    pub branch_id: &'a str,
    pub distributor_id: &'a str,
    pub officer_id: &'a str,
    pub province_id: &'a str,
    pub status: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The columns a step sets besides the status, written with it in one conditional update.
#[derive(AsChangeset, Default)]
#[diesel(table_name = co)]
pub struct CoopOutcome {
    pub reviewer_id: Option<String>,
    pub reason: Option<String>,
    pub ended_at: Option<NaiveDateTime>,
}
