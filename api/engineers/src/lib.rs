//! anjoman-engineers: building engineers and their provincial engineering organisations
//! (EN-01..08). The organisation's existing members are imported (they are what single sign-on
//! logins are matched against); engineers complete their records tab by tab and renew their
//! membership inside the province's window: the province's expert enters any prior debt, the
//! engineer pays fee × years + debt, and the expiry moves forward once the payment is verified.

pub mod http;
pub mod import;
pub mod renewal;
pub mod rules;
pub mod store;

pub use http::configure;

/// Invoices of this purpose pay a membership renewal (reference: the renewal id).
pub const PAYMENT_PURPOSE: &str = "engineer_renewal";
