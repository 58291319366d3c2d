//! anjoman-core: configuration, the API error, the database layer, authentication primitives,
//! the audit log and text helpers shared by every domain crate.

pub mod audit;
pub mod auth;
pub mod config;
pub mod dates;
pub mod db;
pub mod degrees;
pub mod error;
pub mod http;
pub mod import;
pub mod paging;
pub mod person_fields;
pub mod platform;
pub mod reference;
pub mod refusals;
pub mod text;

pub use config::Config;
pub use error::{ApiError, FieldErrors, Lang, Msg};
