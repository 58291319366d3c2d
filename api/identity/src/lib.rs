//! anjoman-identity: persons (keyed by national code), accounts, registration, login, token
//! refresh and logout, password change, the caller's own profile and sessions, role grants and
//! their administration, and the commission's register of accounts.

pub mod accounts;
pub mod errors;
pub mod http;
pub mod profile;
pub mod provision;
pub mod recovery;
pub mod registration;
pub mod roles;
pub mod rules;
pub mod sessions;
pub mod sms;
pub mod sso;
pub mod store;

pub use http::configure;
