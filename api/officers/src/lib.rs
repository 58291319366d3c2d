//! anjoman-officers: technical officers of medical-equipment distributors (TO-01..07). An
//! officer registers once with the fields and degrees the directorate allows, submits a
//! qualification request that the province's university of medical sciences reviews (approve,
//! reject with a reason, or declare deficiencies that go back to the same reviewer once fixed),
//! pays the fee, and is qualified when the payment is verified. After that, changes to the
//! qualified data go through amendment requests reviewed the same way.

pub mod distributors;
pub mod http;
pub mod import;
pub mod reference;
pub mod rules;
pub mod store;

pub use http::configure;

/// Invoices of this purpose settle an officer's request (reference: the request id).
pub const PAYMENT_PURPOSE: &str = "officer_request";
