//! Helpers the engineers' resources share.

use anjoman_core::ApiError;
use anjoman_core::auth::{AuthUser, Role};
use anjoman_core::text::normalize_persian;

pub(crate) fn clean(v: &str) -> String {
    normalize_persian(v.trim())
}

/// May `user` act for this province's organisation (its admins and experts)?
pub(crate) fn expert_of(user: &AuthUser, province: &str) -> Result<(), ApiError> {
    user.require(&[Role::EngineeringAdmin.of(province)])
}
