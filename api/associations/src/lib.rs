//! anjoman-associations: the registry of scientific associations (AS-01), what qualifies for
//! their membership (AS-02), and memberships requested by people or registered by admins and
//! decided by the association's admins (AS-03, AS-04).

pub mod board;
pub mod http;
pub mod rules;
pub mod store;

pub use http::configure;
