//! The password policy: 8 to 128 characters, and not one of the 10,000 most common passwords
//! (the top of Django's list, BSD licence, shipped in `data/`).

use std::collections::HashSet;
use std::sync::OnceLock;

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

static COMMON: &str = include_str!("../data/common-passwords.txt");

fn common() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        COMMON
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    })
}

/// The field error code for a password, or `None` when it is acceptable.
pub fn check(password: &str) -> Option<&'static str> {
    let n = password.chars().count();
    if n < MIN_LEN {
        Some("password_too_short")
    } else if n > MAX_LEN {
        Some("password_too_long")
    } else if common().contains(password.to_lowercase().as_str()) {
        Some("password_too_common")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_refuses_short_long_and_common_passwords() {
        assert_eq!(check("short"), Some("password_too_short"));
        assert_eq!(check(&"x".repeat(129)), Some("password_too_long"));
        assert_eq!(check("password"), Some("password_too_common"));
        assert_eq!(check("PassWord1"), Some("password_too_common"));
        assert_eq!(check("lighthouse-keeper-42"), None);
        assert_eq!(common().len(), 10_000);
    }
}
