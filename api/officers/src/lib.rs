//! anjoman-officers: technical officers of medical-equipment distributors (TO-01..07). An
//! officer registers once with the fields and degrees the directorate allows, submits a
//! qualification request that the province's university of medical sciences reviews (approve,
//! reject with a reason, or declare deficiencies that go back to the same reviewer once fixed),
//! pays the fee, and is qualified when the payment is verified. After that, changes to the
//! qualified data go through amendment requests reviewed the same way. The directorate may suspend,
//! reinstate or revoke a qualification (`standing`).

pub mod api;
pub mod distributors;
pub mod errors;
pub mod http;
pub mod import;
pub mod reference;
pub mod registration;
pub mod requests;
pub mod rules;
mod shared;
pub mod standing;

pub use http::configure;

/// Invoices of this purpose settle an officer's request (reference: the request id).
pub const PAYMENT_PURPOSE: &str = "officer_request";

/// The audit log's scope of this domain's objects: all are the directorate's.
pub fn audit_scopes() -> Vec<(&'static str, anjoman_core::audit::Resolver)> {
    use anjoman_core::audit::Scope;
    use anjoman_core::db::DbConn;
    use diesel::QueryResult;

    fn directorate(_: &mut DbConn, _: Option<&str>) -> QueryResult<Option<Scope>> {
        Ok(Some(Scope::Directorate))
    }
    ["officer", "officers", "officer_request", "officer_fields", "cooperation", "distributor", "branch"]
        .into_iter()
        .map(|t| (t, directorate as anjoman_core::audit::Resolver))
        .collect()
}
