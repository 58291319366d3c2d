//! Degree levels (مقطع تحصیلی) as qualifications, memberships and officers name them, and as
//! people write them in spreadsheets.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::text::search_key;

/// Degree levels a qualification names (مقطع تحصیلی).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DegreeLevel {
    Associate,
    Bachelor,
    Master,
    /// General doctorate (دکترای عمومی), e.g. MD.
    ProfessionalDoctorate,
    /// PhD (دکترای تخصصی).
    Phd,
    /// Clinical specialty (تخصص).
    Specialist,
    /// Subspecialty or fellowship (فوق‌تخصص).
    Subspecialist,
}

impl DegreeLevel {
    pub const ALL: [DegreeLevel; 7] = [
        DegreeLevel::Associate,
        DegreeLevel::Bachelor,
        DegreeLevel::Master,
        DegreeLevel::ProfessionalDoctorate,
        DegreeLevel::Phd,
        DegreeLevel::Specialist,
        DegreeLevel::Subspecialist,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DegreeLevel::Associate => "associate",
            DegreeLevel::Bachelor => "bachelor",
            DegreeLevel::Master => "master",
            DegreeLevel::ProfessionalDoctorate => "professional_doctorate",
            DegreeLevel::Phd => "phd",
            DegreeLevel::Specialist => "specialist",
            DegreeLevel::Subspecialist => "subspecialist",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// The code or its Persian name as people write it in spreadsheets (ی/ي, ک/ك, ZWNJ folded).
    pub fn from_label(s: &str) -> Option<Self> {
        let key = search_key(s).replace(['-', '_'], " ");
        let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(d) = Self::parse(&key.replace(' ', "_")) {
            return Some(d);
        }
        let d = match key.as_str() {
            "کاردانی" | "فوق دیپلم" => DegreeLevel::Associate,
            "کارشناسی" | "لیسانس" => DegreeLevel::Bachelor,
            "کارشناسی ارشد" | "فوق لیسانس" => DegreeLevel::Master,
            "دکترای عمومی" | "دکتری عمومی" | "دکترای حرفه ای" | "دکتری حرفه ای" => {
                DegreeLevel::ProfessionalDoctorate
            }
            "دکترای تخصصی" | "دکتری تخصصی" | "دکترا" | "دکتری" => DegreeLevel::Phd,
            "تخصص" | "متخصص" => DegreeLevel::Specialist,
            "فوق تخصص" | "فلوشیپ" => DegreeLevel::Subspecialist,
            _ => return None,
        };
        Some(d)
    }
}

#[cfg(test)]
mod tests {
    use super::DegreeLevel;

    #[test]
    fn degree_labels_in_persian_or_as_codes() {
        assert_eq!(DegreeLevel::from_label("کارشناسی ارشد"), Some(DegreeLevel::Master));
        assert_eq!(DegreeLevel::from_label("كارشناسي"), Some(DegreeLevel::Bachelor));
        assert_eq!(DegreeLevel::from_label("فوق\u{200c}تخصص"), Some(DegreeLevel::Subspecialist));
        assert_eq!(DegreeLevel::from_label(" professional_doctorate "), Some(DegreeLevel::ProfessionalDoctorate));
        assert_eq!(DegreeLevel::from_label("PhD"), Some(DegreeLevel::Phd));
        assert_eq!(DegreeLevel::from_label("دیپلم"), None);
    }
}
