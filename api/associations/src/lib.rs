//! anjoman-associations: the registry of scientific associations (AS-01), what qualifies for
//! their membership (AS-02), memberships requested by people or registered and imported by admins
//! and decided by the association's admins (AS-03, AS-04), ended by the member or the admins, boards (AS-05), news (AS-06) and
//! messages between the commission, associations and members (AS-07).

pub mod api;
pub mod board;
pub mod endings;
pub mod errors;
pub mod http;
pub mod import;
pub mod members;
pub mod memberships;
pub mod messages;
pub mod news;
pub mod registry;
pub mod rules;
pub mod store;

pub use http::configure;

/// The audit log's scope of this domain's objects: each belongs to its association.
pub fn audit_scopes() -> Vec<(&'static str, anjoman_core::audit::Resolver)> {
    use anjoman_core::audit::Scope;
    use anjoman_core::db::DbConn;
    use anjoman_core::db::schema::{board_positions as bp, memberships as m, news as n};
    use diesel::prelude::*;

    fn association(_: &mut DbConn, id: Option<&str>) -> QueryResult<Option<Scope>> {
        Ok(id.map(|id| Scope::Association(id.to_owned())))
    }
    fn membership(conn: &mut DbConn, id: Option<&str>) -> QueryResult<Option<Scope>> {
        let Some(id) = id else { return Ok(None) };
        Ok(m::table.find(id).select(m::association_id).first::<String>(conn).optional()?.map(Scope::Association))
    }
    fn board(conn: &mut DbConn, id: Option<&str>) -> QueryResult<Option<Scope>> {
        let Some(id) = id else { return Ok(None) };
        Ok(bp::table.find(id).select(bp::association_id).first::<String>(conn).optional()?.map(Scope::Association))
    }
    fn news(conn: &mut DbConn, id: Option<&str>) -> QueryResult<Option<Scope>> {
        let Some(id) = id else { return Ok(None) };
        Ok(n::table.find(id).select(n::association_id).first::<String>(conn).optional()?.map(Scope::Association))
    }
    vec![("association", association), ("membership", membership), ("board_position", board), ("news", news)]
}
