//! Qualification and amendment requests (TO-02..05, TO-07): the officer submits and fixes them,
//! the province's reviewers decide them (`reviews`), the paid fee completes them.

pub mod http;
pub mod model;
pub mod reviews;
pub mod store;
