//! The officer's record (TO-01, TO-06): registration once, the record as the officer and the
//! reviewers see it, and the free edits.

pub mod http;
pub mod model;
pub mod store;
