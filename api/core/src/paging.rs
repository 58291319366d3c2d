//! Paged lists: the bounds a request asks for and the one page type every paged endpoint
//! answers with.

use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;

/// Page number (from 1), page size (1 to 100, default 25) and the offset they make.
pub fn page_bounds(page: Option<i64>, per_page: Option<i64>) -> Result<(i64, i64, i64), ApiError> {
    let page = page.unwrap_or(1);
    let per_page = per_page.unwrap_or(25);
    let offset = page
        .checked_sub(1)
        .and_then(|p| p.checked_mul(per_page))
        .filter(|_| page >= 1 && (1..=100).contains(&per_page));
    let Some(offset) = offset else {
        return Err(ApiError::field(
            "per_page",
            "شمارهٔ صفحه از ۱ و اندازهٔ صفحه از ۱ تا ۱۰۰ است.",
            "page starts at 1; per_page is 1 to 100.",
        ));
    };
    Ok((page, per_page, offset))
}

/// One page of a list: its items, how many there are in all, and which page this is.
#[derive(Serialize, ToSchema)]
pub struct Page<T> {
    /// How many items the whole list has.
    pub total: i64,
    /// This page's number, from 1.
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<T>,
}
