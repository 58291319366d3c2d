//! anjoman-elections: board elections of associations (EL-01..13): set-up and lifecycle, the
//! trustees' key ceremony, the voter roll frozen at opening, voting with a confirmation code by
//! the voter's channel, encrypted ballots with proofs stored apart from who voted, the tally from
//! the trustees' partial decryptions, results and the election record, and the worker that opens
//! and closes elections on the server clock.

pub mod candidates;
pub mod errors;
pub mod http;
pub mod lifecycle;
pub mod model;
pub mod results;
pub mod rules;
pub mod setup;
pub mod store;
pub mod verifiable;
pub mod views;
pub mod voting;
pub mod worker;

pub use http::configure;

/// The audit log's scope of elections: their association's.
pub fn audit_scopes() -> Vec<(&'static str, anjoman_core::audit::Resolver)> {
    use anjoman_core::audit::Scope;
    use anjoman_core::db::DbConn;
    use anjoman_core::db::schema::elections as el;
    use diesel::prelude::*;

    fn election(conn: &mut DbConn, id: Option<&str>) -> QueryResult<Option<Scope>> {
        let Some(id) = id else { return Ok(None) };
        Ok(el::table.find(id).select(el::association_id).first::<String>(conn).optional()?.map(Scope::Association))
    }
    vec![("election", election)]
}
