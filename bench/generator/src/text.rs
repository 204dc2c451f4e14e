//! Word lists for realistic French and English text. Everything is picked with the generator's
//! seeded random source, so a data set is the same on every run.

use phare_domain::Locale;
use rand::seq::SliceRandom;
use rand::Rng;

pub const FR_FIRST: &[&str] = &[
    "Camille",
    "Léa",
    "Chloé",
    "Manon",
    "Inès",
    "Zoé",
    "Jade",
    "Louise",
    "Emma",
    "Alice",
    "Agathe",
    "Anaïs",
    "Cécile",
    "Hélène",
    "Élodie",
    "Maëlle",
    "Noémie",
    "Océane",
    "Solène",
    "Margaux",
    "Hugo",
    "Lucas",
    "Théo",
    "Mathis",
    "Nathan",
    "Louis",
    "Gabriel",
    "Arthur",
    "Jules",
    "Raphaël",
    "Benoît",
    "Jérôme",
    "Loïc",
    "Thibault",
    "François",
    "Grégoire",
    "Étienne",
    "Mathéo",
    "Noël",
    "Rémi",
];

pub const FR_LAST: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Gérard",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
    "Joly",
    "Gaillard",
    "Brunet",
    "Leclerc",
    "Lacroix",
    "Benoît",
];

pub const EN_FIRST: &[&str] = &[
    "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Charlie", "Sophia",
    "Thomas", "Grace", "Jacob", "Lily", "Alfie", "Freya", "Noah", "Evie", "William", "Ella",
    "James", "Olivia", "Henry", "Ruby", "Leo", "Poppy", "Oscar", "Florence", "Archie", "Ivy",
    "Samuel", "Hannah", "Daniel", "Chloe", "Joseph", "Megan", "Ethan", "Abigail", "Liam", "Zara",
];

pub const EN_LAST: &[&str] = &[
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Lewis",
    "James",
    "Phillips",
    "Mason",
    "Mitchell",
    "Rose",
    "Davis",
    "Rodriguez",
    "Cox",
    "Alexander",
    "Morgan",
    "Moore",
    "Murphy",
    "O'Brien",
    "Kelly",
    "Baker",
    "Turner",
    "Hughes",
    "Edwards",
    "Collins",
    "Stewart",
    "Morris",
    "Murray",
    "Cooper",
    "Ward",
    "Harrison",
    "Bennett",
    "Gray",
];

pub const TIME_ZONES_FR: &[&str] = &[
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Luxembourg",
    "America/Montreal",
    "Indian/Reunion",
];

pub const TIME_ZONES_EN: &[&str] = &[
    "Europe/London",
    "Europe/Dublin",
    "America/New_York",
    "America/Toronto",
    "Australia/Sydney",
];

/// (French name, English name, French description, English description) of product lines.
pub const PRODUCT_LINES: &[(&str, &str, &str, &str)] = &[
    (
        "Services aux citoyens",
        "Citizen services",
        "Tout ce que les habitants utilisent en ligne : démarches, paiements, rendez-vous.",
        "Everything residents use online: requests, payments, appointments.",
    ),
    (
        "Plateforme de données",
        "Data platform",
        "Collecte, qualité et diffusion des données ouvertes et internes.",
        "Collection, quality and publication of open and internal data.",
    ),
    (
        "Outils internes",
        "Internal tools",
        "Les applications des agents : facturation, messagerie, planification.",
        "The staff's applications: billing, messaging, scheduling.",
    ),
    (
        "Mobilité",
        "Mobility",
        "Transports, stationnement et cartographie.",
        "Transport, parking and maps.",
    ),
];

/// (name, key, product line index, French description, English description).
pub const PRODUCTS: &[(&str, &str, usize, &str, &str)] = &[
    (
        "Portail citoyen",
        "CIT",
        0,
        "Le guichet unique en ligne : compte usager, suivi des demandes, notifications.",
        "The one-stop online desk: resident account, request tracking, notifications.",
    ),
    (
        "Prise de rendez-vous",
        "RDV",
        0,
        "Réserver un créneau à la mairie, en agence ou en visioconférence.",
        "Book a slot at the town hall, in a branch or by video call.",
    ),
    (
        "Paiement en ligne",
        "PAY",
        0,
        "Cantine, crèche, stationnement : payer les services municipaux par carte.",
        "Canteen, nursery, parking: pay for municipal services by card.",
    ),
    (
        "Open Data",
        "DATA",
        1,
        "Le catalogue de jeux de données publiés sous licence ouverte.",
        "The catalogue of data sets published under an open licence.",
    ),
    (
        "Analytics",
        "ANL",
        1,
        "Tableaux de bord de fréquentation et d'usage des services.",
        "Dashboards of visits and service usage.",
    ),
    (
        "Facturation",
        "FAC",
        2,
        "Émission et suivi des factures, relances, export comptable.",
        "Issuing and tracking invoices, reminders, accounting export.",
    ),
    (
        "Messagerie agents",
        "MSG",
        2,
        "Échanges sécurisés entre agents et avec les usagers.",
        "Secure messages between staff and with residents.",
    ),
    (
        "Planning des équipes",
        "PLAN",
        2,
        "Roulements, astreintes et congés des équipes de terrain.",
        "Rotas, on-call duty and leave of field teams.",
    ),
    (
        "Cartographie",
        "CARTO",
        3,
        "Cartes interactives des travaux, des pistes cyclables et des parkings.",
        "Interactive maps of roadworks, cycle lanes and car parks.",
    ),
    (
        "Mobile Transport",
        "MOB",
        3,
        "L'application mobile : horaires en temps réel, titres dématérialisés.",
        "The mobile app: real-time timetables, digital tickets.",
    ),
];

/// A person's name in the given language.
pub fn person_name(rng: &mut impl Rng, locale: Locale) -> (String, String) {
    let (first, last) = match locale {
        Locale::Fr => (FR_FIRST, FR_LAST),
        Locale::En => (EN_FIRST, EN_LAST),
    };
    let f = first.choose(rng).copied().unwrap_or("Alex");
    let l = last.choose(rng).copied().unwrap_or("Martin");
    (f.to_string(), l.to_string())
}

/// ASCII, lower-case, dot-free local part for an e-mail address ("Léa" → "lea").
pub fn email_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let folded = match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => 'e',
            'î' | 'ï' | 'Î' => 'i',
            'ô' | 'ö' | 'Ô' => 'o',
            'ù' | 'û' | 'ü' | 'Ù' => 'u',
            'ç' | 'Ç' => 'c',
            'ÿ' => 'y',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => continue,
        };
        out.push(folded);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_parts_are_ascii_and_lower_case() {
        assert_eq!(email_part("Léa"), "lea");
        assert_eq!(email_part("O'Brien"), "obrien");
        assert_eq!(email_part("Lefèvre"), "lefevre");
        for name in FR_FIRST
            .iter()
            .chain(FR_LAST)
            .chain(EN_FIRST)
            .chain(EN_LAST)
        {
            let p = email_part(name);
            assert!(!p.is_empty(), "{name} folds to nothing");
            assert!(p.chars().all(|c| c.is_ascii_lowercase()), "{name} → {p}");
        }
    }

    #[test]
    fn product_keys_follow_the_domain_rule() {
        for (_, key, line, _, _) in PRODUCTS {
            let mut errors = phare_domain::Invalid::default();
            phare_domain::validate::product_key(&mut errors, "key", key);
            assert!(errors.is_empty(), "{key} refused");
            assert!(*line < PRODUCT_LINES.len());
        }
    }
}
