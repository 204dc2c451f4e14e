//! The organisation: roles, job titles, RACI and the ways the PM role is carried.
//!
//! Each enum is stored as its snake_case string in both databases and the API, so the spelling
//! here is part of the data format.

text_enum!(
    /// Permission level inside a workspace, from most to least powerful.
    Role {
        Admin => "admin",
        ProductManager => "product_manager",
        Contributor => "contributor",
        Stakeholder => "stakeholder",
        Viewer => "viewer",
    }
);

impl Role {
    /// Higher is more powerful; used to refuse granting a role above one's own.
    pub fn rank(self) -> u8 {
        match self {
            Role::Admin => 5,
            Role::ProductManager => 4,
            Role::Contributor => 3,
            Role::Stakeholder => 2,
            Role::Viewer => 1,
        }
    }
}

text_enum!(
    /// The product-roles ladder. Separate from the permission role on purpose: a Director of
    /// Product may be a viewer of a product line that is not theirs.
    JobTitle {
        Apm => "apm",
        Pm => "pm",
        SeniorPm => "senior_pm",
        StaffPm => "staff_pm",
        PrincipalPm => "principal_pm",
        GroupPm => "group_pm",
        DirectorOfProduct => "director_of_product",
        Cpo => "cpo",
    }
);

text_enum!(
    /// RACI letter for a member on a product.
    Raci {
        Responsible => "responsible",
        Accountable => "accountable",
        Consulted => "consulted",
        Informed => "informed",
    }
);

text_enum!(
    /// Who carries the PM role on a product: a business expert, an IT project lead, or both.
    PmModel {
        BusinessExpert => "business_expert",
        ItProjectLead => "it_project_lead",
        Shared => "shared",
    }
);

text_enum!(
    /// What a personal access token may do. `All` is everything its owner may do.
    Scope {
        All => "all",
        Read => "read",
        Write => "write",
        Admin => "admin",
    }
);

text_enum!(
    /// User interface language.
    Locale {
        En => "en",
        Fr => "fr",
    }
);

impl Locale {
    /// Picks the first supported language in an Accept-Language header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(locale) = Locale::parse(primary) {
                if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, locale));
                }
            }
        }
        best.map(|(_, l)| l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_the_highest_quality_supported_tag() {
        assert_eq!(
            Locale::from_accept_language("fr-FR,fr;q=0.9,en;q=0.8"),
            Some(Locale::Fr)
        );
        assert_eq!(
            Locale::from_accept_language("de-DE,en;q=0.5,fr;q=0.7"),
            Some(Locale::Fr)
        );
        assert_eq!(Locale::from_accept_language("de"), None);
        assert_eq!(Locale::from_accept_language("en-GB"), Some(Locale::En));
    }

    #[test]
    fn every_text_enum_round_trips_through_its_stored_spelling() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(*r));
        }
        for t in JobTitle::ALL {
            assert_eq!(JobTitle::parse(t.as_str()), Some(*t));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn admin_outranks_every_other_role() {
        assert!(Role::ALL
            .iter()
            .all(|r| *r == Role::Admin || r.rank() < Role::Admin.rank()));
    }
}
