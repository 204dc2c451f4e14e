//! Scoring frameworks: RICE, ICE, WSJF, MoSCoW, Kano, value/effort and a product's custom
//! weighted scorecard. Pure maths: each score comes with its breakdown ("why this number"), the
//! formula with the inputs put in, so a page or a script can show how it was reached.
//!
//! Inputs are checked here, once, for the web page, the API and the CLI alike: a confidence
//! above 100 %, an effort of zero or less, a weight set summing to zero, an unknown framework
//! are refused with the field they concern, before anything is stored.

use crate::validate::required_text;
use crate::Invalid;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

text_enum!(
    /// A prioritization framework. One is the product's primary framework: its value is the
    /// idea's score in the backlog.
    Framework {
        Rice => "rice",
        Ice => "ice",
        Wsjf => "wsjf",
        Moscow => "moscow",
        Kano => "kano",
        ValueEffort => "value_effort",
        Scorecard => "scorecard",
    }
);

// `text_enum!` derives for every enum alike, so `#[default]` cannot be put on a variant.
#[allow(clippy::derivable_impls)]
impl Default for Framework {
    fn default() -> Self {
        Framework::Rice
    }
}

text_enum!(
    /// MoSCoW categories, from the most to the least needed.
    MoscowCategory {
        Must => "must",
        Should => "should",
        Could => "could",
        Wont => "wont",
    }
);

text_enum!(
    /// Kano categories: how the presence of a feature changes satisfaction.
    KanoCategory {
        MustBe => "must_be",
        Performance => "performance",
        Attractive => "attractive",
        Indifferent => "indifferent",
        Reverse => "reverse",
    }
);

text_enum!(
    /// Where an input comes from: typed by a person, or read from the idea's discovery data.
    InputSource {
        Typed => "typed",
        Customers => "customers",
        Demand => "demand",
        Votes => "votes",
    }
);

/// The bounds of one numeric input of a formula framework.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InputSpec {
    pub name: &'static str,
    pub min: f64,
    pub max: f64,
    /// True when the minimum itself is refused (an effort or a job size of zero).
    pub min_exclusive: bool,
    /// Whether the input may be read from discovery data instead of typed.
    pub from_data: bool,
}

const fn spec(name: &'static str, min: f64, max: f64, min_exclusive: bool) -> InputSpec {
    InputSpec {
        name,
        min,
        max,
        min_exclusive,
        from_data: false,
    }
}

const RICE: &[InputSpec] = &[
    InputSpec {
        name: "reach",
        min: 0.0,
        max: 1e9,
        min_exclusive: false,
        from_data: true,
    },
    spec("impact", 0.0, 10.0, false),
    spec("confidence", 0.0, 1.0, false),
    spec("effort", 0.0, 1e6, true),
];
const ICE: &[InputSpec] = &[
    spec("impact", 1.0, 10.0, false),
    spec("confidence", 1.0, 10.0, false),
    spec("ease", 1.0, 10.0, false),
];
const WSJF: &[InputSpec] = &[
    spec("business_value", 0.0, 100.0, false),
    spec("time_criticality", 0.0, 100.0, false),
    spec("risk_reduction", 0.0, 100.0, false),
    spec("job_size", 0.0, 100.0, true),
];
const VALUE_EFFORT: &[InputSpec] = &[
    spec("value", 0.0, 10.0, false),
    spec("effort", 0.0, 10.0, true),
];

/// The value/effort scale's middle: the matrix splits its quadrants there.
pub const MATRIX_MIDDLE: f64 = 5.0;

impl Framework {
    /// The numeric inputs of a formula framework, in the order of its formula (none for the
    /// category frameworks and the scorecard, whose inputs are its criteria).
    pub fn inputs(self) -> &'static [InputSpec] {
        match self {
            Framework::Rice => RICE,
            Framework::Ice => ICE,
            Framework::Wsjf => WSJF,
            Framework::ValueEffort => VALUE_EFFORT,
            Framework::Moscow | Framework::Kano | Framework::Scorecard => &[],
        }
    }

    /// The formula, in words a person reads.
    pub fn formula(self) -> &'static str {
        match self {
            Framework::Rice => "reach × impact × confidence ÷ effort",
            Framework::Ice => "impact × confidence × ease",
            Framework::Wsjf => "(business_value + time_criticality + risk_reduction) ÷ job_size",
            Framework::Moscow => "must = 4, should = 3, could = 2, wont = 1",
            Framework::Kano => {
                "must_be = 4, performance = 3, attractive = 2, indifferent = 1, reverse = 0"
            }
            Framework::ValueEffort => "value ÷ effort",
            Framework::Scorecard => "100 × Σ(weight × points ÷ scale) ÷ Σ weight",
        }
    }

    /// Whether the framework is a category (MoSCoW, Kano) rather than a formula.
    pub fn is_category(self) -> bool {
        matches!(self, Framework::Moscow | Framework::Kano)
    }
}

impl MoscowCategory {
    pub fn value(self) -> f64 {
        match self {
            MoscowCategory::Must => 4.0,
            MoscowCategory::Should => 3.0,
            MoscowCategory::Could => 2.0,
            MoscowCategory::Wont => 1.0,
        }
    }
}

impl KanoCategory {
    pub fn value(self) -> f64 {
        match self {
            KanoCategory::MustBe => 4.0,
            KanoCategory::Performance => 3.0,
            KanoCategory::Attractive => 2.0,
            KanoCategory::Indifferent => 1.0,
            KanoCategory::Reverse => 0.0,
        }
    }
}

/// What is stored for one idea and one framework: the numbers as put in (typed or read from
/// data, with the source), the category of MoSCoW and Kano, and the points per criterion of the
/// scorecard (criterion id → points).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScoreInputs {
    pub numbers: BTreeMap<String, f64>,
    /// Only the inputs not typed appear here.
    pub sources: BTreeMap<String, InputSource>,
    pub category: Option<String>,
    pub criteria: BTreeMap<uuid::Uuid, f64>,
}

/// One criterion of a product's custom scorecard: points on a scale from 0 to `scale`, counted
/// with `weight`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub id: uuid::Uuid,
    pub name: String,
    pub scale: f64,
    pub weight: f64,
}

pub const CRITERION_NAME_MAX: usize = 80;
pub const CRITERIA_MAX: usize = 30;
pub const SCALE_MAX: f64 = 100.0;
pub const WEIGHT_MAX: f64 = 1000.0;

/// Checks a scorecard's criteria: names required and distinct, scales from 1 to 100, weights
/// from 0 to 1000 and not all zero. Field names are `criteria.{i}.name` and so on, and
/// `criteria` for the set as a whole.
pub fn validate_criteria(criteria: Vec<Criterion>, errors: &mut Invalid) -> Vec<Criterion> {
    if criteria.len() > CRITERIA_MAX {
        errors.add("criteria", "too_many");
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(criteria.len());
    for (i, mut c) in criteria.into_iter().enumerate() {
        c.name = required_text(
            errors,
            &format!("criteria.{i}.name"),
            &c.name,
            CRITERION_NAME_MAX,
        );
        if !c.name.is_empty() && !seen.insert(c.name.to_lowercase()) {
            errors.add(&format!("criteria.{i}.name"), "already_taken");
        }
        if !c.scale.is_finite() || c.scale < 1.0 || c.scale > SCALE_MAX {
            errors.add(&format!("criteria.{i}.scale"), "out_of_range");
        }
        if !c.weight.is_finite() || c.weight < 0.0 || c.weight > WEIGHT_MAX {
            errors.add(&format!("criteria.{i}.weight"), "out_of_range");
        }
        out.push(c);
    }
    if !out.is_empty() && out.iter().map(|c| c.weight.max(0.0)).sum::<f64>() <= 0.0 {
        errors.add("criteria", "weights_sum_to_zero");
    }
    out
}

/// One line of a breakdown: an input, its value and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BreakdownInput {
    pub name: String,
    pub value: f64,
    pub source: InputSource,
    /// For scorecard criteria: the scale and the weight the points count with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

/// Why a score is what it is: the formula, the inputs, and the formula with the inputs put in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub formula: String,
    pub inputs: Vec<BreakdownInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// E.g. `500 × 2 × 0.8 ÷ 4 = 200`.
    pub calculation: String,
}

/// A computed score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreResult {
    pub framework: Framework,
    pub value: f64,
    pub breakdown: Breakdown,
}

/// A number as a person writes it: no trailing zeros, at most four decimals.
pub fn show(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Rounds a stored value to 6 decimals, so that both databases keep and sort the same number.
fn tidy(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// Checks the inputs of `framework` and computes its value and breakdown. `criteria` is the
/// product's scorecard (used by the scorecard framework only). A missing or out-of-range
/// input is reported under its own name.
pub fn compute(
    framework: Framework,
    inputs: &ScoreInputs,
    criteria: &[Criterion],
) -> Result<ScoreResult, Invalid> {
    let mut errors = Invalid::new();
    let breakdown_input = |name: &str, value: f64| BreakdownInput {
        name: name.to_owned(),
        value,
        source: inputs
            .sources
            .get(name)
            .copied()
            .unwrap_or(InputSource::Typed),
        scale: None,
        weight: None,
    };
    let mut values = Vec::new();
    for s in framework.inputs() {
        match inputs.numbers.get(s.name) {
            None => errors.add(s.name, "required"),
            Some(v) => {
                let v = *v;
                if !v.is_finite() || v > s.max || v < s.min {
                    errors.add(s.name, "out_of_range");
                } else if s.min_exclusive && v <= s.min {
                    errors.add(s.name, "must_be_positive");
                }
                values.push(v);
            }
        }
        if inputs.sources.contains_key(s.name) && !s.from_data {
            errors.add(s.name, "not_from_data");
        }
    }
    for name in inputs.numbers.keys() {
        if !framework.inputs().iter().any(|s| s.name == name) {
            errors.add(name, "unknown_field");
        }
    }
    errors.clone().into_result()?;
    let (value, calculation, category, lines) = match framework {
        Framework::Rice => {
            let [reach, impact, confidence, effort] = [values[0], values[1], values[2], values[3]];
            let v = reach * impact * confidence / effort;
            (
                v,
                format!(
                    "{} × {} × {} ÷ {} = {}",
                    show(reach),
                    show(impact),
                    show(confidence),
                    show(effort),
                    show(tidy(v))
                ),
                None,
                RICE.iter()
                    .zip(&values)
                    .map(|(s, v)| breakdown_input(s.name, *v))
                    .collect(),
            )
        }
        Framework::Ice => {
            let v = values[0] * values[1] * values[2];
            (
                v,
                format!(
                    "{} × {} × {} = {}",
                    show(values[0]),
                    show(values[1]),
                    show(values[2]),
                    show(tidy(v))
                ),
                None,
                ICE.iter()
                    .zip(&values)
                    .map(|(s, v)| breakdown_input(s.name, *v))
                    .collect(),
            )
        }
        Framework::Wsjf => {
            let v = (values[0] + values[1] + values[2]) / values[3];
            (
                v,
                format!(
                    "({} + {} + {}) ÷ {} = {}",
                    show(values[0]),
                    show(values[1]),
                    show(values[2]),
                    show(values[3]),
                    show(tidy(v))
                ),
                None,
                WSJF.iter()
                    .zip(&values)
                    .map(|(s, v)| breakdown_input(s.name, *v))
                    .collect(),
            )
        }
        Framework::ValueEffort => {
            let v = values[0] / values[1];
            (
                v,
                format!(
                    "{} ÷ {} = {}",
                    show(values[0]),
                    show(values[1]),
                    show(tidy(v))
                ),
                None,
                VALUE_EFFORT
                    .iter()
                    .zip(&values)
                    .map(|(s, v)| breakdown_input(s.name, *v))
                    .collect(),
            )
        }
        Framework::Moscow | Framework::Kano => {
            let text = inputs.category.as_deref().unwrap_or("");
            let v = if framework == Framework::Moscow {
                MoscowCategory::parse(text).map(MoscowCategory::value)
            } else {
                KanoCategory::parse(text).map(KanoCategory::value)
            };
            let Some(v) = v else {
                let code = if text.is_empty() {
                    "required"
                } else {
                    "unknown_category"
                };
                return Err(Invalid::one("category", code));
            };
            (
                v,
                format!("{text} = {}", show(v)),
                Some(text.to_owned()),
                Vec::new(),
            )
        }
        Framework::Scorecard => scorecard(inputs, criteria)?,
    };
    if inputs.category.is_some() && !framework.is_category() {
        return Err(Invalid::one("category", "unknown_field"));
    }
    Ok(ScoreResult {
        framework,
        value: tidy(value),
        breakdown: Breakdown {
            formula: framework.formula().to_owned(),
            inputs: lines,
            category,
            calculation,
        },
    })
}

type Computed = (f64, String, Option<String>, Vec<BreakdownInput>);

/// The scorecard's value: a weighted average of each criterion's points over its scale, out
/// of 100. A criterion left without points counts 0. The SQL that re-scores a whole product
/// after a weight change computes the same sum (see the stores' `rescore_scorecard`).
fn scorecard(inputs: &ScoreInputs, criteria: &[Criterion]) -> Result<Computed, Invalid> {
    let mut errors = Invalid::new();
    if criteria.is_empty() {
        return Err(Invalid::one("criteria", "no_scorecard"));
    }
    for (id, points) in &inputs.criteria {
        match criteria.iter().find(|c| c.id == *id) {
            None => errors.add(&format!("criteria.{id}"), "unknown_criterion"),
            Some(c) if !points.is_finite() || *points < 0.0 || *points > c.scale => {
                errors.add(&format!("criteria.{id}"), "out_of_range");
            }
            Some(_) => {}
        }
    }
    errors.into_result()?;
    let total_weight: f64 = criteria.iter().map(|c| c.weight).sum();
    if total_weight <= 0.0 {
        return Err(Invalid::one("criteria", "weights_sum_to_zero"));
    }
    let mut sum = 0.0;
    let mut lines = Vec::new();
    let mut parts = Vec::new();
    for c in criteria {
        let points = inputs.criteria.get(&c.id).copied().unwrap_or(0.0);
        sum += c.weight * points / c.scale;
        parts.push(format!(
            "{} × {}/{}",
            show(c.weight),
            show(points),
            show(c.scale)
        ));
        lines.push(BreakdownInput {
            name: c.name.clone(),
            value: points,
            source: InputSource::Typed,
            scale: Some(c.scale),
            weight: Some(c.weight),
        });
    }
    let v = 100.0 * sum / total_weight;
    let calculation = format!(
        "100 × ({}) ÷ {} = {}",
        parts.join(" + "),
        show(total_weight),
        show(tidy(v))
    );
    Ok((v, calculation, None, lines))
}

text_enum!(
    /// Where an idea falls in the value/effort matrix.
    Quadrant {
        QuickWin => "quick_win",
        BigBet => "big_bet",
        FillIn => "fill_in",
        TimeSink => "time_sink",
    }
);

/// High value and low effort is a quick win; high value and high effort a big bet; low value
/// and low effort a fill-in; low value and high effort a time sink. The middle of the scale
/// counts as high.
pub fn quadrant(value: f64, effort: f64) -> Quadrant {
    match (value >= MATRIX_MIDDLE, effort >= MATRIX_MIDDLE) {
        (true, false) => Quadrant::QuickWin,
        (true, true) => Quadrant::BigBet,
        (false, false) => Quadrant::FillIn,
        (false, true) => Quadrant::TimeSink,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn numbers(pairs: &[(&str, f64)]) -> ScoreInputs {
        ScoreInputs {
            numbers: pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn rice_of_the_contract_example_is_200() {
        let r = compute(
            Framework::Rice,
            &numbers(&[
                ("reach", 500.0),
                ("impact", 2.0),
                ("confidence", 0.8),
                ("effort", 4.0),
            ]),
            &[],
        )
        .unwrap();
        assert_eq!(r.value, 200.0);
        assert_eq!(r.breakdown.calculation, "500 × 2 × 0.8 ÷ 4 = 200");
        assert_eq!(r.breakdown.inputs.len(), 4);
    }

    #[test]
    fn out_of_range_inputs_name_their_field() {
        let e = compute(
            Framework::Rice,
            &numbers(&[
                ("reach", 500.0),
                ("impact", 2.0),
                ("confidence", 1.2),
                ("effort", 0.0),
            ]),
            &[],
        )
        .unwrap_err();
        let got: Vec<_> = e.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(
            got,
            vec![
                ("confidence", "out_of_range"),
                ("effort", "must_be_positive")
            ]
        );
        let e = compute(Framework::Ice, &numbers(&[("impact", 3.0)]), &[]).unwrap_err();
        assert_eq!(e.0[0].field, "confidence");
        assert_eq!(e.0[0].code, "required");
        let e = compute(
            Framework::ValueEffort,
            &numbers(&[("value", 3.0), ("effort", -1.0), ("reach", 1.0)]),
            &[],
        )
        .unwrap_err();
        assert!(e
            .0
            .iter()
            .any(|f| f.field == "reach" && f.code == "unknown_field"));
    }

    #[test]
    fn wsjf_divides_the_cost_of_delay_by_the_job_size() {
        let r = compute(
            Framework::Wsjf,
            &numbers(&[
                ("business_value", 8.0),
                ("time_criticality", 5.0),
                ("risk_reduction", 3.0),
                ("job_size", 4.0),
            ]),
            &[],
        )
        .unwrap();
        assert_eq!(r.value, 4.0);
        assert_eq!(r.breakdown.calculation, "(8 + 5 + 3) ÷ 4 = 4");
    }

    #[test]
    fn categories_map_to_values_and_unknown_ones_are_refused() {
        let mut i = ScoreInputs {
            category: Some("should".into()),
            ..Default::default()
        };
        assert_eq!(compute(Framework::Moscow, &i, &[]).unwrap().value, 3.0);
        i.category = Some("attractive".into());
        assert_eq!(compute(Framework::Kano, &i, &[]).unwrap().value, 2.0);
        i.category = Some("maybe".into());
        let e = compute(Framework::Kano, &i, &[]).unwrap_err();
        assert_eq!(e.0[0].code, "unknown_category");
    }

    #[test]
    fn a_scorecard_is_a_weighted_average_out_of_100() {
        let a = uuid::Uuid::now_v7();
        let b = uuid::Uuid::now_v7();
        let criteria = vec![
            Criterion {
                id: a,
                name: "Revenue".into(),
                scale: 5.0,
                weight: 3.0,
            },
            Criterion {
                id: b,
                name: "Strategy".into(),
                scale: 10.0,
                weight: 1.0,
            },
        ];
        let mut i = ScoreInputs::default();
        i.criteria.insert(a, 5.0);
        i.criteria.insert(b, 2.0);
        let r = compute(Framework::Scorecard, &i, &criteria).unwrap();
        assert_eq!(r.value, 80.0);
        i.criteria.insert(b, 11.0);
        assert!(compute(Framework::Scorecard, &i, &criteria).is_err());
    }

    #[test]
    fn weights_summing_to_zero_are_refused() {
        let mut e = Invalid::new();
        validate_criteria(
            vec![Criterion {
                id: uuid::Uuid::now_v7(),
                name: "Revenue".into(),
                scale: 5.0,
                weight: 0.0,
            }],
            &mut e,
        );
        assert_eq!(e.0[0].field, "criteria");
        assert_eq!(e.0[0].code, "weights_sum_to_zero");
    }

    #[test]
    fn quadrants_split_at_the_middle() {
        assert_eq!(quadrant(8.0, 2.0), Quadrant::QuickWin);
        assert_eq!(quadrant(8.0, 8.0), Quadrant::BigBet);
        assert_eq!(quadrant(2.0, 2.0), Quadrant::FillIn);
        assert_eq!(quadrant(2.0, 8.0), Quadrant::TimeSink);
    }

    proptest! {
        #[test]
        fn rice_is_the_product_over_effort_for_every_valid_input(
            reach in 0.0f64..1e6, impact in 0.0f64..10.0, confidence in 0.0f64..=1.0,
            effort in 0.01f64..1e3,
        ) {
            let r = compute(Framework::Rice, &numbers(&[
                ("reach", reach), ("impact", impact), ("confidence", confidence), ("effort", effort),
            ]), &[]).unwrap();
            let expected = reach * impact * confidence / effort;
            prop_assert!((r.value - expected).abs() <= 1e-6 * expected.max(1.0));
            prop_assert!(r.value >= 0.0);
        }

        #[test]
        fn a_confidence_above_one_or_an_effort_at_most_zero_is_always_refused(
            confidence in 1.0001f64..1e9, effort in -1e9f64..=0.0,
        ) {
            let e = compute(Framework::Rice, &numbers(&[
                ("reach", 1.0), ("impact", 1.0), ("confidence", confidence), ("effort", effort),
            ]), &[]).unwrap_err();
            prop_assert!(e.0.iter().any(|f| f.field == "confidence"));
            prop_assert!(e.0.iter().any(|f| f.field == "effort"));
        }

        #[test]
        fn a_scorecard_stays_between_0_and_100(
            weights in proptest::collection::vec(0.0f64..100.0, 1..6),
            fill in proptest::collection::vec(0.0f64..=1.0, 6),
        ) {
            prop_assume!(weights.iter().sum::<f64>() > 0.0);
            let criteria: Vec<Criterion> = weights.iter().enumerate().map(|(i, w)| Criterion {
                id: uuid::Uuid::from_u128(i as u128 + 1), name: format!("c{i}"), scale: 5.0, weight: *w,
            }).collect();
            let mut i = ScoreInputs::default();
            for (c, f) in criteria.iter().zip(&fill) {
                i.criteria.insert(c.id, f * c.scale);
            }
            let r = compute(Framework::Scorecard, &i, &criteria).unwrap();
            prop_assert!((0.0..=100.0 + 1e-9).contains(&r.value));
        }
    }
}
