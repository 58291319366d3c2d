//! anjoman-identity: persons (keyed by national code), accounts, registration, login, token
//! refresh and logout, password change, and the caller's own profile with role grants.

pub mod http;
pub mod provision;
pub mod recovery;
pub mod rules;
pub mod sms;
pub mod sso;
pub mod store;

pub use http::configure;
