//! How much of each kind a data set holds. "large" follows docs/PERFORMANCE.md ("medium" is a
//! tenth of it, "small" a hundredth).

use clap::ValueEnum;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScaleName {
    Small,
    Medium,
    Large,
}

#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub name: ScaleName,
    pub members: usize,
    pub product_lines: usize,
    pub products: usize,
    pub audit_events: usize,
    /// Organisations and people whose feedback is recorded.
    pub customers: usize,
    pub feedback: usize,
    pub ideas: usize,
    /// Links between a feedback item (or an excerpt of it) and an idea.
    pub evidence: usize,
    /// People who signed in on the public portals.
    pub portal_users: usize,
    /// Votes on published ideas, one per person and idea.
    pub votes: usize,
}

impl Scale {
    pub fn of(name: ScaleName) -> Self {
        let (members, audit_events) = match name {
            ScaleName::Small => (20, 200),
            ScaleName::Medium => (200, 400),
            ScaleName::Large => (2_000, 800),
        };
        // The discovery kinds: large is the performance brief's set, medium a tenth, small a
        // hundredth.
        let divisor = match name {
            ScaleName::Small => 100,
            ScaleName::Medium => 10,
            ScaleName::Large => 1,
        };
        Scale {
            name,
            members,
            product_lines: crate::text::PRODUCT_LINES.len(),
            products: crate::text::PRODUCTS.len(),
            audit_events,
            customers: 3_000 / divisor,
            feedback: 1_000_000 / divisor,
            ideas: 100_000 / divisor,
            evidence: 2_000_000 / divisor,
            portal_users: 200_000 / divisor,
            votes: 5_000_000 / divisor,
        }
    }

    pub fn label(&self) -> &'static str {
        match self.name {
            ScaleName::Small => "small",
            ScaleName::Medium => "medium",
            ScaleName::Large => "large",
        }
    }
}
