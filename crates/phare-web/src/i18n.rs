//! Translations: every user-visible string is a Fluent message in `locales/{en,fr}/*.ftl`, one
//! file per part of the product: `main.ftl` (the foundation), `discovery.ftl` (feedback, ideas,
//! search), `bugs.ftl` (bug reports), `interchange.ftl` (imports and exports), `portal.ftl` (the
//! public portal), `research.ftl` (personas, competitors, research notes), `scoring.ftl` (scores
//! and the backlog), `stakeholders.ftl` (prioritization sessions), `decisions.ftl` (the decision
//! log) and `specs.ftl` (specs and feature documentation).
//! A test checks that both files define the same keys and that no page shows a raw key.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{static_loader, LanguageIdentifier, Loader};
use phare_domain::Locale;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{OnceLock, PoisonError, RwLock};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks around arguments break copy-paste and tests; our messages
        // are single-direction.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

fn lang(locale: Locale) -> LanguageIdentifier {
    match locale {
        Locale::Fr => unic_langid::langid!("fr"),
        Locale::En => unic_langid::langid!("en"),
    }
}

fn iso_date(t: &chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day())
}

/// The translator for one request. Cheap to copy into every page.
#[derive(Clone, Copy, Debug)]
pub struct L10n {
    pub locale: Locale,
}

impl L10n {
    pub fn new(locale: Locale) -> Self {
        Self { locale }
    }

    /// The `lang` attribute value.
    pub fn lang(&self) -> &'static str {
        self.locale.as_str()
    }

    /// The message for `key`; the key itself, visibly, if it is missing (a test forbids that).
    pub fn t(&self, key: &str) -> String {
        self.message(key).unwrap_or_else(|| key.to_owned())
    }

    /// A message without arguments, formatted by Fluent once per language and key and then
    /// read from memory: an inbox page asks for about 400 of them, and formatting each again
    /// was a tenth of the page. Only keys that exist are kept, so the table is bounded by the
    /// `.ftl` files whatever the requests ask for.
    fn message(&self, key: &str) -> Option<String> {
        if let Some(text) = self.formatted(key) {
            return Some(text);
        }
        let text = LOCALES.try_lookup(&lang(self.locale), key)?;
        self.keep(key, &text);
        Some(text)
    }

    /// This language's messages formatted so far, by key (see [`message`](Self::message)).
    fn table(&self) -> &'static RwLock<HashMap<Box<str>, Box<str>>> {
        type Formatted = RwLock<HashMap<Box<str>, Box<str>>>;
        static EN: OnceLock<Formatted> = OnceLock::new();
        static FR: OnceLock<Formatted> = OnceLock::new();
        match self.locale {
            Locale::En => &EN,
            Locale::Fr => &FR,
        }
        .get_or_init(Formatted::default)
    }

    fn formatted(&self, key: &str) -> Option<String> {
        let known = self.table().read().unwrap_or_else(PoisonError::into_inner);
        known.get(key).map(|text| text.to_string())
    }

    fn keep(&self, key: &str, text: &str) {
        self.table()
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key.into(), text.into());
    }

    /// A message with one named argument. Small counts come back over and over (the evidence
    /// count of every inbox row): a message with a count under 100 is formatted once per
    /// language, key and count, like a message without arguments.
    pub fn t1(&self, key: &str, name: &str, value: impl ToString) -> String {
        let value = value.to_string();
        if value.len() > 2 || !value.bytes().all(|b| b.is_ascii_digit()) {
            return self.ta(key, &[(name, value)]);
        }
        let kept = format!("{key}\u{1}{name}\u{1}{value}");
        if let Some(text) = self.formatted(&kept) {
            return text;
        }
        let text = self.ta(key, &[(name, value)]);
        // A missing key answers itself; it is not kept, so the table stays bounded.
        if text != key {
            self.keep(&kept, &text);
        }
        text
    }

    /// A message with named arguments; numeric-looking values are passed as numbers so Fluent
    /// picks the right plural form.
    pub fn ta(&self, key: &str, args: &[(&str, String)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(k, v)| {
                let value = match v.parse::<f64>() {
                    Ok(n)
                        if !v.is_empty()
                            && v.chars()
                                .all(|c| c.is_ascii_digit() || c == '.' || c == '-') =>
                    {
                        FluentValue::from(n)
                    }
                    _ => FluentValue::from(v.clone()),
                };
                (Cow::Owned((*k).to_owned()), value)
            })
            .collect();
        LOCALES
            .try_lookup_with_args(&lang(self.locale), key, &map)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The label of an enumerated value: `tv("role", "admin")` looks up `role-admin`.
    pub fn tv(&self, prefix: &str, value: impl std::fmt::Display) -> String {
        self.t(&format!("{prefix}-{value}"))
    }

    /// Whether a message exists (for optional hints).
    pub fn has(&self, key: &str) -> bool {
        self.message(key).is_some()
    }

    /// A timestamp shown to people: `2026-11-21 14:05 UTC`.
    pub fn datetime(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        use chrono::Timelike;
        format!("{} {:02}:{:02} UTC", self.date(t), t.hour(), t.minute())
    }

    /// A date shown to people: `21/11/2026` in French, `2026-11-21` in English. Written by hand
    /// rather than through chrono's format strings, which are parsed again on every call (an
    /// inbox page shows fifty).
    pub fn date(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        use chrono::Datelike;
        match self.locale {
            Locale::Fr => format!("{:02}/{:02}/{:04}", t.day(), t.month(), t.year()),
            Locale::En => iso_date(t),
        }
    }

    /// The same date for machines (`<time datetime>`): `2026-11-21`.
    pub fn iso_date(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        iso_date(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(src: &str) -> BTreeSet<String> {
        src.lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && !l.starts_with('.'))
            .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
            .filter(|k| !k.is_empty())
            .collect()
    }

    #[test]
    fn both_languages_define_the_same_keys() {
        // Every file of a language is loaded; each pair of files must agree.
        let en: BTreeSet<String> = keys(include_str!("../locales/en/main.ftl"))
            .into_iter()
            .chain(keys(include_str!("../locales/en/discovery.ftl")))
            .chain(keys(include_str!("../locales/en/interchange.ftl")))
            .chain(keys(include_str!("../locales/en/portal.ftl")))
            .chain(keys(include_str!("../locales/en/research.ftl")))
            // decisions (issue #4)
            .chain(keys(include_str!("../locales/en/decisions.ftl")))
            // specs (issue 4)
            .chain(keys(include_str!("../locales/en/specs.ftl")))
            // scoring slice (issue #4)
            .chain(keys(include_str!("../locales/en/scoring.ftl")))
            .chain(keys(include_str!("../locales/en/stakeholders.ftl")))
            .collect();
        let fr: BTreeSet<String> = keys(include_str!("../locales/fr/main.ftl"))
            .into_iter()
            .chain(keys(include_str!("../locales/fr/discovery.ftl")))
            .chain(keys(include_str!("../locales/fr/interchange.ftl")))
            .chain(keys(include_str!("../locales/fr/portal.ftl")))
            .chain(keys(include_str!("../locales/fr/research.ftl")))
            // decisions (issue #4)
            .chain(keys(include_str!("../locales/fr/decisions.ftl")))
            // specs (issue 4)
            .chain(keys(include_str!("../locales/fr/specs.ftl")))
            // scoring slice (issue #4)
            .chain(keys(include_str!("../locales/fr/scoring.ftl")))
            .chain(keys(include_str!("../locales/fr/stakeholders.ftl")))
            .collect();
        let only_en: Vec<_> = en.difference(&fr).collect();
        let only_fr: Vec<_> = fr.difference(&en).collect();
        assert!(
            only_en.is_empty() && only_fr.is_empty(),
            "only in en: {only_en:?}; only in fr: {only_fr:?}"
        );
        assert!(en.len() > 100, "{} keys", en.len());
    }

    #[test]
    fn every_error_code_has_a_message_in_both_languages() {
        for locale in [Locale::En, Locale::Fr] {
            let l = L10n::new(locale);
            for code in phare_domain::ErrorCode::ALL {
                assert!(l.has(&format!("error-{code}")), "{locale:?} error-{code}");
                assert!(
                    l.has(&format!("error-{code}-title")),
                    "{locale:?} error-{code}-title"
                );
            }
        }
    }

    #[test]
    fn messages_read_again_are_the_same_and_missing_keys_are_not_kept() {
        for locale in [Locale::En, Locale::Fr] {
            let l = L10n::new(locale);
            let first = l.t("nav-products");
            assert_eq!(l.t("nav-products"), first);
            assert_eq!(
                first,
                LOCALES.try_lookup(&lang(locale), "nav-products").unwrap()
            );
            assert_eq!(l.t("no-such-key-xyz"), "no-such-key-xyz");
        }
        assert_eq!(L10n::new(Locale::Fr).t("nav-products"), "Produits");
        assert_eq!(L10n::new(Locale::En).t("nav-products"), "Products");
    }

    #[test]
    fn dates_read_as_chrono_wrote_them() {
        use chrono::TimeZone;
        for t in [
            chrono::Utc
                .with_ymd_and_hms(2026, 11, 21, 14, 5, 9)
                .unwrap(),
            chrono::Utc.with_ymd_and_hms(987, 1, 2, 3, 4, 5).unwrap(),
        ] {
            let fr = L10n::new(Locale::Fr);
            let en = L10n::new(Locale::En);
            assert_eq!(fr.date(&t), t.format("%d/%m/%Y").to_string());
            assert_eq!(en.date(&t), t.format("%Y-%m-%d").to_string());
            assert_eq!(fr.datetime(&t), t.format("%d/%m/%Y %H:%M UTC").to_string());
            assert_eq!(en.datetime(&t), t.format("%Y-%m-%d %H:%M UTC").to_string());
            assert_eq!(en.iso_date(&t), t.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn french_plurals_follow_the_number() {
        let fr = L10n::new(Locale::Fr);
        assert_eq!(fr.t1("count-products", "count", 1), "1 produit");
        assert_eq!(fr.t1("count-products", "count", 3), "3 produits");
        let en = L10n::new(Locale::En);
        assert_eq!(en.t1("count-products", "count", 1), "1 product");
        // Read again from the kept table, and past it.
        assert_eq!(fr.t1("count-products", "count", 3), "3 produits");
        assert_eq!(fr.t1("count-products", "count", 1), "1 produit");
        assert_eq!(fr.t1("count-products", "count", 1234), "1234 produits");
        assert_eq!(en.t1("count-products", "count", 3), "3 products");
    }
}
