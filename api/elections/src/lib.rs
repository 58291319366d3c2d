//! anjoman-elections: board elections of associations (EL-01..13): set-up and lifecycle, the
//! trustees' key ceremony, the voter roll frozen at opening, voting with a confirmation code by
//! the voter's channel, encrypted ballots with proofs stored apart from who voted, the tally from
//! the trustees' partial decryptions, results and the election record, and the worker that opens
//! and closes elections on the server clock.

pub mod http;
pub mod rules;
pub mod store;
pub mod verifiable;
pub mod voting;
pub mod worker;

pub use http::configure;
