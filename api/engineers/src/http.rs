//! The engineers' routes (EN-01..08): each part's handlers live in its own module.

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(crate::record::main_info::my_record)
        .service(crate::record::main_info::save_main)
        .service(crate::record::degrees::add_degree)
        .service(crate::record::degrees::edit_degree)
        .service(crate::record::degrees::remove_degree)
        .service(crate::record::contacts::add_contact)
        .service(crate::record::contacts::edit_contact)
        .service(crate::record::contacts::remove_contact)
        .service(crate::record::addresses::add_address)
        .service(crate::record::addresses::edit_address)
        .service(crate::record::addresses::remove_address)
        .service(crate::record::addresses::make_correspondence)
        .service(crate::record::documents::add_document)
        .service(crate::record::documents::remove_document)
        .service(crate::record::relatives::add_relative)
        .service(crate::record::relatives::edit_relative)
        .service(crate::record::relatives::remove_relative)
        .service(crate::orgs::list_orgs)
        .service(crate::orgs::update_org)
        .service(crate::orgs::add_expert)
        .service(crate::renewals::http::request_renewal)
        .service(crate::renewals::http::renewal_queue)
        .service(crate::renewals::http::assess_renewal)
        .service(crate::renewals::http::reject_renewal)
        .service(crate::experts::list_engineers)
        .service(crate::experts::show_engineer)
        .service(crate::experts::verify_degree)
        .service(crate::experts::confirm_birth_province)
        .service(crate::import::import_engineers);
}
