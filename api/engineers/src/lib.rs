//! anjoman-engineers: building engineers and their provincial engineering organisations
//! (EN-01..08). The organisation's existing members are imported (they are what single sign-on
//! logins are matched against); engineers complete their records tab by tab and renew their
//! membership inside the province's window: the province's expert enters any prior debt, the
//! engineer pays fee × years + debt, and the expiry moves forward once the payment is verified.

pub mod api;
pub mod errors;
pub mod experts;
pub mod http;
pub mod import;
pub mod orgs;
pub mod record;
pub mod renewals;
pub mod rules;
mod shared;
pub mod store;

pub use http::configure;

/// Invoices of this purpose pay a membership renewal (reference: the renewal id).
pub const PAYMENT_PURPOSE: &str = "engineer_renewal";

/// The audit log's scope of this domain's objects: the engineer's province's organisation.
pub fn audit_scopes() -> Vec<(&'static str, anjoman_core::audit::Resolver)> {
    use anjoman_core::audit::Scope;
    use anjoman_core::db::DbConn;
    use anjoman_core::db::schema::{engineer_degrees as ed, engineer_renewals as er, engineers as e};
    use diesel::prelude::*;

    fn province(_: &mut DbConn, id: Option<&str>) -> QueryResult<Option<Scope>> {
        Ok(id.map(|p| Scope::Engineering(p.to_owned())))
    }
    fn engineer(conn: &mut DbConn, id: Option<&str>) -> QueryResult<Option<Scope>> {
        let Some(id) = id else { return Ok(None) };
        Ok(e::table.find(id).select(e::province_id).first::<String>(conn).optional()?.map(Scope::Engineering))
    }
    fn renewal(conn: &mut DbConn, id: Option<&str>) -> QueryResult<Option<Scope>> {
        let Some(id) = id else { return Ok(None) };
        Ok(er::table.find(id).select(er::province_id).first::<String>(conn).optional()?.map(Scope::Engineering))
    }
    fn degree(conn: &mut DbConn, id: Option<&str>) -> QueryResult<Option<Scope>> {
        let Some(id) = id else { return Ok(None) };
        let Some(engineer_id) = ed::table.find(id).select(ed::engineer_id).first::<String>(conn).optional()? else {
            return Ok(None);
        };
        Ok(e::table.find(engineer_id).select(e::province_id).first::<String>(conn).optional()?.map(Scope::Engineering))
    }
    vec![("province", province), ("engineer", engineer), ("engineer_renewal", renewal), ("engineer_degree", degree)]
}
