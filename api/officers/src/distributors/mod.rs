//! Distributors and cooperation with technical officers (DI-01..04, TO-08): a distributor (company
//! or guild) has a manager and branches; naming a qualified officer for a branch asks the officer,
//! then the university of the branch's province; the officer may end the cooperation at once,
//! and the manager is told by SMS.

pub mod cooperations;
pub mod http;
pub mod model;
pub mod rules;
pub mod store;
