//! How much of each kind a data set holds. "large" follows docs/PERFORMANCE.md ("medium" is a
//! tenth of it, "small" a hundredth); kinds that do not exist yet in the product are not listed.

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
}

impl Scale {
    pub fn of(name: ScaleName) -> Self {
        let (members, audit_events) = match name {
            ScaleName::Small => (20, 200),
            ScaleName::Medium => (200, 400),
            ScaleName::Large => (2_000, 800),
        };
        Scale {
            name,
            members,
            product_lines: crate::text::PRODUCT_LINES.len(),
            products: crate::text::PRODUCTS.len(),
            audit_events,
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
