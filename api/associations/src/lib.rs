//! anjoman-associations: the registry of scientific associations (AS-01), what qualifies for
//! their membership (AS-02), memberships requested by people or registered and imported by admins
//! and decided by the association's admins (AS-03, AS-04), boards (AS-05), news (AS-06) and
//! messages between the commission, associations and members (AS-07).

pub mod board;
pub mod files;
pub mod http;
pub mod import;
pub mod messages;
pub mod news;
pub mod rules;
pub mod store;

pub use http::configure;
