//! The elections' routes (EL-01..13): each part's handlers live in its own module.

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(crate::views::list_elections)
        .service(crate::views::show_election)
        .service(crate::setup::create_election)
        .service(crate::setup::edit_election)
        .service(crate::candidates::add_candidate)
        .service(crate::lifecycle::publish_election)
        .service(crate::lifecycle::cancel_election)
        .service(crate::lifecycle::extend_election)
        .service(crate::results::turnout)
        .service(crate::results::tally_election)
        .service(crate::results::publish_results)
        .service(crate::results::show_results)
        .service(crate::results::results_csv)
        .service(crate::results::bulletin)
        .service(crate::verifiable::record::bulletin_entry)
        .service(crate::verifiable::record::election_record)
        .service(crate::verifiable::trustees::my_trusteeships)
        .service(crate::verifiable::ceremony::show_ceremony)
        .service(crate::verifiable::ceremony::publish_transport)
        .service(crate::verifiable::ceremony::publish_dealing)
        .service(crate::verifiable::ceremony::confirm_share)
        .service(crate::verifiable::ceremony::restart_ceremony)
        .service(crate::verifiable::decryption::show_aggregate)
        .service(crate::verifiable::decryption::submit_partial)
        .service(crate::voting::my_vote)
        .service(crate::voting::codes::request_code)
        .service(crate::voting::codes::email_code_now)
        .service(crate::voting::cast::cast_ballot);
}
