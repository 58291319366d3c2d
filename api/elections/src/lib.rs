//! anjoman-elections: board elections of associations (EL-01..09, EL-11..13): set-up and
//! lifecycle, the voter roll frozen at opening, voting with a confirmation code by the voter's
//! channel, ballots stored apart from who voted, tally and results, and the worker that opens
//! and closes elections on the server clock.

pub mod http;
pub mod rules;
pub mod store;
pub mod voting;
pub mod worker;

pub use http::configure;
