//! A validated instrument: the in-memory model that the scoring engine interprets.
//!
//! Values of these types only come out of `validate`, so the engine never re-checks them:
//! every item index is in range, every domain and score reference resolves, bands are in
//! order, and the arithmetic is proven exact. The public accessors are what a form, a
//! report or the web app needs to show an instrument; the scoring rules themselves
//! (conditions and tallies) stay crate-private because only the engine reads them.

use crate::exact::Exact;

/// A questionnaire definition, loaded from one versioned data file.
#[derive(Debug, Clone)]
pub struct Instrument {
    pub(crate) file: String,
    pub(crate) id: String,
    pub(crate) version: String,
    pub(crate) name: String,
    pub(crate) abbreviation: String,
    pub(crate) measures: String,
    pub(crate) population: String,
    pub(crate) recall: String,
    pub(crate) direction: Direction,
    pub(crate) citations: Vec<String>,
    pub(crate) licence: Licence,
    pub(crate) forms: Vec<String>,
    pub(crate) items: Vec<Item>,
    pub(crate) domains: Vec<Domain>,
    pub(crate) total: TotalRule,
    pub(crate) total_range: (Exact, Exact),
    pub(crate) missing: MissingDataRule,
    pub(crate) banding: Option<Banding>,
    pub(crate) positive: Option<Rule>,
    pub(crate) flags: Vec<Flag>,
    /// Published change parameters per score (`[[change]]`); read by `crate::change`.
    pub(crate) change: Vec<crate::change::PublishedChange>,
    /// Verified FHIR and LOINC codes (`[fhir]`); read by `crate::fhir`.
    pub(crate) fhir: crate::fhir::FhirCodes,
}

impl Instrument {
    /// The stable id used in the API, the CLI and stored scores (`phq9`, `fsfi`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The definition's version; it changes whenever scoring would change, so a stored
    /// score can be reproduced with the definition it was computed by.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The file the definition came from (for messages).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The instrument's full name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The usual short name (`PHQ-9`).
    pub fn abbreviation(&self) -> &str {
        &self.abbreviation
    }

    /// What it measures, in one line.
    pub fn measures(&self) -> &str {
        &self.measures
    }

    /// Who it was made and validated for.
    pub fn population(&self) -> &str {
        &self.population
    }

    /// The period the questions ask about.
    pub fn recall(&self) -> &str {
        &self.recall
    }

    /// Whether a higher score means better or worse function.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The papers the instrument and its scoring come from.
    pub fn citations(&self) -> &[String] {
        &self.citations
    }

    /// What we know about the right to use it.
    pub fn licence(&self) -> &Licence {
        &self.licence
    }

    /// Named forms sharing one scoring (ASEX `male` and `female`); empty for most.
    pub fn forms(&self) -> &[String] {
        &self.forms
    }

    /// The items in the order their values are given.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// The domains (subscales, clusters) in output order.
    pub fn domains(&self) -> &[Domain] {
        &self.domains
    }

    /// The lowest and highest total a complete response can have.
    pub fn total_range(&self) -> (Exact, Exact) {
        self.total_range
    }

    /// How unanswered items are handled.
    pub fn missing_data_rule(&self) -> &MissingDataRule {
        &self.missing
    }

    /// The published severity bands, if the instrument has any.
    pub fn banding(&self) -> Option<&Banding> {
        self.banding.as_ref()
    }

    /// What `positive` means and where its cutoff comes from, if it has one.
    pub fn positive_rule(&self) -> Option<(&str, &str)> {
        self.positive
            .as_ref()
            .map(|rule| (rule.meaning.as_str(), rule.citation.as_str()))
    }

    /// The flags this instrument can raise (besides `incomplete` and `prorated`).
    pub fn flags(&self) -> &[Flag] {
        &self.flags
    }
}

/// Whether a higher score is better or worse. Charts and change statistics must follow
/// it: FSFI, IIEF and CSI run the other way from PHQ-9, GAD-7, PCL-5 and ASEX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A higher score means better function (FSFI, IIEF, CSI).
    HigherIsBetter,
    /// A higher score means more symptoms or more dysfunction (PHQ-9, ASEX).
    HigherIsWorse,
}

/// What is known about the right to use an instrument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Licence {
    /// The short status.
    pub status: LicenceStatus,
    /// Who holds the rights and what we found, in a sentence or two.
    pub note: String,
}

/// The licence status in one word, so the web app can hold back unverified instruments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicenceStatus {
    /// Not copyrighted (PCL-5).
    PublicDomain,
    /// Free to reproduce and use without permission (PHQ and GAD screeners).
    Free,
    /// Free for clinical and research use; commercial use not addressed (CSI).
    FreeForClinicalAndResearchUse,
    /// Permission from the rights holder is needed (ASEX).
    PermissionRequired,
    /// Copyrighted and the terms were not found: check before clinical release.
    Unverified,
}

/// One question: where it sits, what it is about, and which coded values it takes.
#[derive(Debug, Clone)]
pub struct Item {
    pub(crate) id: String,
    pub(crate) position: usize,
    pub(crate) label: String,
    pub(crate) min: u8,
    pub(crate) max: u8,
    pub(crate) scale_meaning: String,
    pub(crate) zero_means: Option<String>,
    pub(crate) critical: bool,
    pub(crate) form_labels: Vec<(String, String)>,
}

impl Item {
    /// The item's id, also its CSV column header (`phq9_9`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Its 1-based position in the instrument.
    pub fn position(&self) -> usize {
        self.position
    }

    /// A short topic label in our own words (never the questionnaire's wording).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The label for a named form, falling back to the shared label.
    pub fn label_for_form(&self, form: &str) -> &str {
        self.form_labels
            .iter()
            .find(|(name, _)| name == form)
            .map_or(self.label.as_str(), |(_, label)| label.as_str())
    }

    /// The lowest coded value.
    pub fn min(&self) -> u8 {
        self.min
    }

    /// The highest coded value.
    pub fn max(&self) -> u8 {
        self.max
    }

    /// Whether 0 is a valid answer (FSFI items 1, 2, 15 and 16 have no 0).
    pub fn allows_zero(&self) -> bool {
        self.min == 0
    }

    /// What the coded values stand for, in our own words.
    pub fn scale_meaning(&self) -> &str {
        &self.scale_meaning
    }

    /// What a 0 records, where 0 is a special answer ("no sexual activity").
    pub fn zero_means(&self) -> Option<&str> {
        self.zero_means.as_deref()
    }

    /// Whether any answer above the lowest must reach the clinician at once (PHQ-9 item 9).
    pub fn is_critical(&self) -> bool {
        self.critical
    }

    /// `"1-5"`, for messages and forms.
    pub fn allowed(&self) -> String {
        format!("{}-{}", self.min, self.max)
    }
}

/// A subscale: a sum of some items, times a factor.
#[derive(Debug, Clone)]
pub struct Domain {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) items: Vec<usize>,
    pub(crate) factor: Exact,
    pub(crate) min_answered: usize,
    pub(crate) range: (Exact, Exact),
}

impl Domain {
    /// The domain's id, also its key in a score's `domains` and its CSV column.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Its name for people.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Indices into [`Instrument::items`] of the items it sums.
    pub fn item_indices(&self) -> &[usize] {
        &self.items
    }

    /// The factor the raw sum is multiplied by (FSFI: 0.6, 0.3 or 0.4; otherwise 1).
    pub fn factor(&self) -> Exact {
        self.factor
    }

    /// The lowest and highest score a complete response can give.
    pub fn range(&self) -> (Exact, Exact) {
        self.range
    }
}

/// How the total is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TotalRule {
    /// The sum of all item values.
    ItemSum,
    /// The sum of the domain scores (FSFI).
    DomainSum,
}

/// What happens when items are left unanswered.
#[derive(Debug, Clone)]
pub struct MissingDataRule {
    pub(crate) prorate: bool,
    pub(crate) min_answered: usize,
    pub(crate) min_domains: usize,
    pub(crate) round_whole: bool,
    pub(crate) ours: bool,
    pub(crate) note: String,
}

impl MissingDataRule {
    /// True when the scale's authors publish no rule and this one is our documented choice.
    pub fn is_our_choice(&self) -> bool {
        self.ours
    }

    /// True when a partly answered response may be scored by prorating.
    pub fn prorates(&self) -> bool {
        self.prorate
    }

    /// The rule and its reasons, in words.
    pub fn note(&self) -> &str {
        &self.note
    }
}

/// Which score a band, cutoff or comparison reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScoreRef {
    Total,
    Domain(usize),
}

/// Published severity bands over one score.
#[derive(Debug, Clone)]
pub struct Banding {
    pub(crate) score: ScoreRef,
    pub(crate) score_name: String,
    pub(crate) citation: String,
    pub(crate) bands: Vec<Band>,
}

impl Banding {
    /// `total`, or the id of the domain the bands read (IIEF-15: `erectile_function`).
    pub fn score_name(&self) -> &str {
        &self.score_name
    }

    /// Where the bands are published.
    pub fn citation(&self) -> &str {
        &self.citation
    }

    /// The bands, lowest first.
    pub fn bands(&self) -> &[Band] {
        &self.bands
    }
}

/// One band: a published name over an inclusive range.
#[derive(Debug, Clone)]
pub struct Band {
    pub(crate) name: String,
    pub(crate) min: Exact,
    pub(crate) max: Exact,
}

impl Band {
    /// The published name in lower case (`moderately severe`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The lowest score in the band.
    pub fn min(&self) -> Exact {
        self.min
    }

    /// The highest score in the band.
    pub fn max(&self) -> Exact {
        self.max
    }
}

/// A yes/no rule read from data: `positive`, or the body of a flag.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) meaning: String,
    pub(crate) citation: String,
    pub(crate) combine: Combine,
    pub(crate) conditions: Vec<Condition>,
}

/// How a rule joins its conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Combine {
    All,
    Any,
}

/// One condition of a rule.
#[derive(Debug, Clone)]
pub(crate) enum Condition {
    /// A score compared with a threshold.
    Compare {
        score: ScoreRef,
        comparison: Comparison,
        threshold: Exact,
    },
    /// At least `min` items fall in their tallies' value ranges.
    Count { tallies: Vec<Tally>, min: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparison {
    AtLeast,
    AtMost,
    Below,
    Above,
}

/// Items counted when their value lies in `at_least..=at_most`; when `missing_counts`,
/// an unanswered item counts too (FSFI low activity, after PROscorer).
#[derive(Debug, Clone)]
pub(crate) struct Tally {
    pub(crate) items: Vec<usize>,
    pub(crate) at_least: u8,
    pub(crate) at_most: u8,
    pub(crate) missing_counts: bool,
}

/// A flag an instrument can raise, with its rule.
#[derive(Debug, Clone)]
pub struct Flag {
    pub(crate) id: String,
    pub(crate) unanswered_id: String,
    pub(crate) critical: bool,
    pub(crate) rule: Rule,
}

impl Flag {
    /// The flag's id as it appears in a score (`suicidal_ideation`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// For a critical flag, the id raised when unanswered items leave it undecided
    /// (`suicidal_ideation_unanswered`).
    pub fn unanswered_id(&self) -> Option<&str> {
        self.critical.then_some(self.unanswered_id.as_str())
    }

    /// Whether it must reach the clinician at once.
    pub fn is_critical(&self) -> bool {
        self.critical
    }

    /// What it means.
    pub fn meaning(&self) -> &str {
        &self.rule.meaning
    }

    /// Where its rule comes from.
    pub fn citation(&self) -> &str {
        &self.rule.citation
    }
}
