//! The officers' routes (TO-01..07): each resource's handlers live in its own module.

use utoipa_actix_web::service_config::ServiceConfig;

use crate::reference;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(reference::list_provinces)
        .service(reference::list_fields)
        .service(reference::replace_fields)
        .service(reference::add_reviewer)
        .service(crate::registration::http::register_officer)
        .service(crate::registration::http::my_officer)
        .service(crate::registration::http::edit_my_officer)
        .service(crate::requests::http::submit_request)
        .service(crate::requests::reviews::review_queue)
        .service(crate::requests::reviews::show_request)
        .service(crate::requests::http::resubmit_request)
        .service(crate::requests::reviews::approve_request)
        .service(crate::requests::reviews::reject_request)
        .service(crate::requests::reviews::declare_deficiencies)
        .service(crate::distributors::http::create_distributor)
        .service(crate::distributors::http::list_distributors)
        .service(crate::distributors::http::show_distributor)
        .service(crate::distributors::http::add_branch)
        .service(crate::distributors::http::name_branch_officer)
        .service(crate::distributors::cooperations::my_cooperations)
        .service(crate::distributors::cooperations::accept_cooperation)
        .service(crate::distributors::cooperations::decline_cooperation)
        .service(crate::distributors::cooperations::terminate_cooperation)
        .service(crate::distributors::cooperations::cooperation_queue)
        .service(crate::distributors::cooperations::approve_cooperation)
        .service(crate::distributors::cooperations::reject_cooperation)
        .service(crate::import::import_officers)
        .service(crate::standing::list_qualified)
        .service(crate::standing::show_standing)
        .service(crate::standing::change_standing);
}
