//! Turning a definition file into an [`Instrument`], or a clear error naming file and field.
//!
//! This is the one place that decides what a well-formed instrument is. The engine trusts
//! what comes out: item and domain references resolve, value sets fit in a byte, bands
//! are ordered, rules are well-formed, and the arithmetic is proven exact (see
//! [`exactness`]). The checks on bands and rules live in [`rules`].

mod exactness;
mod interop;
mod rules;

pub(crate) use rules::score_is_whole;

use std::collections::HashSet;

use thiserror::Error;

use crate::definition::{
    Direction, Domain, Instrument, Item, Licence, LicenceStatus, MissingDataRule, TotalRule,
};
use crate::exact::Exact;
use crate::format::{DefinitionFile, DomainFile, ItemFile, MissingFile};

/// The most items an instrument may have (the longest we expect is a few dozen).
const MAX_ITEMS: usize = 200;
/// The highest coded value an item may take.
const MAX_VALUE: i64 = 100;
/// The longest item label, in characters: labels are short topics, not question text.
const MAX_LABEL_CHARS: usize = 120;

/// A definition file that cannot be loaded. Every message names the file, and the field
/// where there is one, so the author can go straight to the line.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DefinitionError {
    /// Not valid TOML, a missing or unknown key, or a value of the wrong type.
    #[error("{file}: {message}")]
    Syntax {
        /// The definition file.
        file: String,
        /// The TOML parser's message, with line and column.
        message: String,
    },
    /// Well-formed TOML that breaks a rule of the format.
    #[error("{file}: field `{field}`: {message}")]
    Invalid {
        /// The definition file.
        file: String,
        /// The path of the offending field (`domains[2].factor`).
        field: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// Two files define the same instrument id.
    #[error("{file}: instrument id `{id}` is already defined by {first}")]
    DuplicateId {
        /// The second file.
        file: String,
        /// The repeated id.
        id: String,
        /// The file that defined it first.
        first: String,
    },
}

/// Parses and validates one definition file.
pub(crate) fn instrument(file: &str, text: &str) -> Result<Instrument, DefinitionError> {
    let raw: DefinitionFile = toml::from_str(text).map_err(|error| DefinitionError::Syntax {
        file: file.to_owned(),
        message: error.to_string(),
    })?;
    Checker { file }.instrument(raw)
}

/// Carries the file name into every error.
struct Checker<'f> {
    file: &'f str,
}

impl Checker<'_> {
    fn error(&self, field: impl Into<String>, message: impl Into<String>) -> DefinitionError {
        DefinitionError::Invalid {
            file: self.file.to_owned(),
            field: field.into(),
            message: message.into(),
        }
    }

    fn instrument(&self, raw: DefinitionFile) -> Result<Instrument, DefinitionError> {
        self.identifier("id", &raw.id)?;
        let stem = self.file.rsplit('/').next().unwrap_or(self.file);
        if stem.strip_suffix(".toml") != Some(raw.id.as_str()) {
            return Err(self.error("id", format!("must match the file name `{stem}`")));
        }
        for (field, value) in [
            ("version", &raw.version),
            ("name", &raw.name),
            ("abbreviation", &raw.abbreviation),
            ("measures", &raw.measures),
            ("population", &raw.population),
            ("recall", &raw.recall),
            ("licence.note", &raw.licence.note),
        ] {
            self.text(field, value)?;
        }
        if raw.citations.is_empty() {
            return Err(self.error("citations", "needs at least one citation"));
        }
        for (index, citation) in raw.citations.iter().enumerate() {
            self.text(&format!("citations[{index}]"), citation)?;
        }
        let direction = match raw.direction.as_str() {
            "higher_is_better" => Direction::HigherIsBetter,
            "higher_is_worse" => Direction::HigherIsWorse,
            other => {
                return Err(self.error(
                    "direction",
                    format!("`{other}` is not `higher_is_better` or `higher_is_worse`"),
                ));
            }
        };
        let licence = Licence {
            status: self.licence_status(&raw.licence.status)?,
            note: raw.licence.note.clone(),
        };
        let mut forms = HashSet::new();
        for (index, form) in raw.forms.iter().enumerate() {
            let field = format!("forms[{index}]");
            self.identifier(&field, form)?;
            if !forms.insert(form.as_str()) {
                return Err(self.error(field, format!("form `{form}` is listed twice")));
            }
        }
        let items = self.items(&raw, &forms)?;
        let total = match raw.scoring.total.as_str() {
            "items" => TotalRule::ItemSum,
            "domains" if !raw.domains.is_empty() => TotalRule::DomainSum,
            "domains" => return Err(self.error("scoring.total", "`domains` needs domains")),
            other => {
                return Err(self.error(
                    "scoring.total",
                    format!("`{other}` is not `items` or `domains`"),
                ));
            }
        };
        let missing = self.missing(&raw.missing, total, items.len(), raw.domains.len())?;
        let domains = self.domains(&raw.domains, &items, &missing)?;
        let total_range = match total {
            TotalRule::ItemSum => items
                .iter()
                .fold((Exact::ZERO, Exact::ZERO), |(lo, hi), i| {
                    (lo.add(i.min.into()), hi.add(i.max.into()))
                }),
            TotalRule::DomainSum => domains
                .iter()
                .fold((Exact::ZERO, Exact::ZERO), |(lo, hi), d| {
                    (lo.add(d.range.0), hi.add(d.range.1))
                }),
        };
        let mut instrument = Instrument {
            file: self.file.to_owned(),
            id: raw.id,
            version: raw.version,
            name: raw.name,
            abbreviation: raw.abbreviation,
            measures: raw.measures,
            population: raw.population,
            recall: raw.recall,
            direction,
            citations: raw.citations,
            licence,
            forms: raw.forms,
            items,
            domains,
            total,
            total_range,
            missing,
            banding: None,
            positive: None,
            flags: Vec::new(),
            change: Vec::new(),
            fhir: crate::fhir::FhirCodes::default(),
        };
        exactness::prove(self, &instrument)?;
        instrument.banding = match &raw.banding {
            Some(banding) => Some(rules::banding(self, &instrument, banding)?),
            None => None,
        };
        instrument.positive = match &raw.positive {
            Some(rule) => Some(rules::rule(self, &instrument, "positive", rule)?),
            None => None,
        };
        instrument.flags = rules::flags(self, &instrument, &raw.flags)?;
        instrument.change = interop::change(self, &instrument, &raw.change)?;
        instrument.fhir = interop::fhir(
            self,
            &instrument,
            raw.fhir.as_ref(),
            &raw.scales,
            &raw.items,
        )?;
        Ok(instrument)
    }

    fn items(
        &self,
        raw: &DefinitionFile,
        forms: &HashSet<&str>,
    ) -> Result<Vec<Item>, DefinitionError> {
        if raw.items.is_empty() || raw.items.len() > MAX_ITEMS {
            return Err(self.error("items", format!("needs 1 to {MAX_ITEMS} items")));
        }
        let mut seen = HashSet::new();
        raw.items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let field = format!("items[{index}]");
                if !seen.insert(item.id.as_str()) {
                    return Err(self.error(
                        format!("{field}.id"),
                        format!("item id `{}` is used twice", item.id),
                    ));
                }
                self.item(&field, index, item, raw, forms)
            })
            .collect()
    }

    fn item(
        &self,
        field: &str,
        index: usize,
        item: &ItemFile,
        raw: &DefinitionFile,
        forms: &HashSet<&str>,
    ) -> Result<Item, DefinitionError> {
        self.identifier(&format!("{field}.id"), &item.id)?;
        self.label(&format!("{field}.label"), &item.label)?;
        let scale = raw.scales.get(&item.scale).ok_or_else(|| {
            self.error(
                format!("{field}.scale"),
                format!("no scale named `{}` in [scales]", item.scale),
            )
        })?;
        let scale_field = format!("scales.{}", item.scale);
        if !(0..=MAX_VALUE).contains(&scale.min) || !(scale.min..=MAX_VALUE).contains(&scale.max) {
            return Err(self.error(scale_field, format!("needs 0 <= min <= max <= {MAX_VALUE}")));
        }
        self.text(&format!("{scale_field}.meaning"), &scale.meaning)?;
        if scale.zero_means.is_some() && scale.min != 0 {
            return Err(self.error(
                format!("{scale_field}.zero_means"),
                "only a scale whose min is 0 can say what 0 means",
            ));
        }
        let mut form_labels = Vec::new();
        for (form, label) in &item.form_labels {
            let label_field = format!("{field}.form_labels.{form}");
            if !forms.contains(form.as_str()) {
                return Err(self.error(label_field, format!("no form named `{form}` in forms")));
            }
            self.label(&label_field, label)?;
            form_labels.push((form.clone(), label.clone()));
        }
        // Both bounds were checked to lie in 0..=100 just above, so they fit in a u8.
        let (min, max) = (scale.min as u8, scale.max as u8);
        Ok(Item {
            id: item.id.clone(),
            position: index + 1,
            label: item.label.clone(),
            min,
            max,
            scale_meaning: scale.meaning.clone(),
            zero_means: scale.zero_means.clone(),
            critical: item.critical,
            form_labels,
        })
    }

    fn missing(
        &self,
        raw: &MissingFile,
        total: TotalRule,
        item_count: usize,
        domain_count: usize,
    ) -> Result<MissingDataRule, DefinitionError> {
        let prorate = match raw.rule.as_str() {
            "complete" => false,
            "prorate" => true,
            other => {
                return Err(self.error(
                    "missing.rule",
                    format!("`{other}` is not `complete` or `prorate`"),
                ));
            }
        };
        let ours = match raw.source.as_str() {
            "ours" => true,
            "published" => false,
            other => {
                return Err(self.error(
                    "missing.source",
                    format!("`{other}` is not `ours` or `published`"),
                ));
            }
        };
        self.text("missing.note", &raw.note)?;
        let round_whole = match (prorate, raw.round.as_deref()) {
            (true, Some("whole")) => true,
            (true, Some("none")) => false,
            (true, _) => {
                return Err(self.error("missing.round", "prorating needs `whole` or `none`"));
            }
            (false, None) => false,
            (false, Some(_)) => {
                return Err(self.error("missing.round", "only a prorating rule rounds"));
            }
        };
        let mut rule = MissingDataRule {
            prorate,
            min_answered: item_count,
            min_domains: domain_count,
            round_whole,
            ours,
            note: raw.note.clone(),
        };
        match (prorate, total, raw.min_answered, raw.min_domains) {
            (false, _, None, None) => {}
            (true, TotalRule::ItemSum, Some(min), None) => {
                rule.min_answered = self.count_in("missing.min_answered", min, item_count)?;
            }
            (true, TotalRule::DomainSum, None, Some(min)) => {
                rule.min_domains = self.count_in("missing.min_domains", min, domain_count)?;
            }
            (false, ..) => {
                return Err(self.error("missing", "a `complete` rule takes no minimums"));
            }
            (true, TotalRule::ItemSum, ..) => {
                return Err(self.error("missing", "a total of items needs `min_answered` only"));
            }
            (true, TotalRule::DomainSum, ..) => {
                return Err(self.error("missing", "a total of domains needs `min_domains` only"));
            }
        }
        Ok(rule)
    }

    fn domains(
        &self,
        raw: &[DomainFile],
        items: &[Item],
        missing: &MissingDataRule,
    ) -> Result<Vec<Domain>, DefinitionError> {
        let mut ids = HashSet::new();
        let mut owner: Vec<Option<&str>> = vec![None; items.len()];
        let mut domains = Vec::with_capacity(raw.len());
        for (index, domain) in raw.iter().enumerate() {
            let field = format!("domains[{index}]");
            self.identifier(&format!("{field}.id"), &domain.id)?;
            if domain.id == "total" || !ids.insert(domain.id.as_str()) {
                return Err(self.error(
                    format!("{field}.id"),
                    format!("`{}` is reserved or already used", domain.id),
                ));
            }
            self.text(&format!("{field}.name"), &domain.name)?;
            if domain.items.is_empty() {
                return Err(self.error(format!("{field}.items"), "needs at least one item"));
            }
            let mut indices = Vec::with_capacity(domain.items.len());
            for (position, id) in domain.items.iter().enumerate() {
                let item_field = format!("{field}.items[{position}]");
                let item = self.item_index(&item_field, items, id)?;
                if let Some(other) = owner[item] {
                    return Err(self.error(
                        item_field,
                        format!("item `{id}` already belongs to domain `{other}`"),
                    ));
                }
                owner[item] = Some(domain.id.as_str());
                indices.push(item);
            }
            let factor = match &domain.factor {
                None => Exact::from_int(1),
                Some(text) => self.decimal(&format!("{field}.factor"), &text.0)?,
            };
            if factor <= Exact::ZERO || factor > Exact::from_int(1000) {
                return Err(self.error(format!("{field}.factor"), "must be above 0, at most 1000"));
            }
            let min_answered = match domain.min_answered {
                None => indices.len(),
                Some(_) if !missing.prorate => {
                    return Err(self.error(
                        format!("{field}.min_answered"),
                        "needs missing.rule = \"prorate\"",
                    ));
                }
                Some(min) => self.count_in(&format!("{field}.min_answered"), min, indices.len())?,
            };
            let (raw_min, raw_max) = indices.iter().fold((0_i64, 0_i64), |(lo, hi), &i| {
                (lo + i64::from(items[i].min), hi + i64::from(items[i].max))
            });
            domains.push(Domain {
                id: domain.id.clone(),
                name: domain.name.clone(),
                items: indices,
                factor,
                min_answered,
                range: (
                    Exact::from_int(raw_min).mul(factor),
                    Exact::from_int(raw_max).mul(factor),
                ),
            });
        }
        Ok(domains)
    }

    fn licence_status(&self, status: &str) -> Result<LicenceStatus, DefinitionError> {
        Ok(match status {
            "public_domain" => LicenceStatus::PublicDomain,
            "free" => LicenceStatus::Free,
            "free_for_clinical_and_research_use" => LicenceStatus::FreeForClinicalAndResearchUse,
            "permission_required" => LicenceStatus::PermissionRequired,
            "unverified" => LicenceStatus::Unverified,
            other => {
                return Err(self.error(
                    "licence.status",
                    format!(
                        "`{other}` is not one of public_domain, free, \
                         free_for_clinical_and_research_use, permission_required, unverified"
                    ),
                ));
            }
        })
    }

    /// The index of the item called `id`.
    fn item_index(&self, field: &str, items: &[Item], id: &str) -> Result<usize, DefinitionError> {
        items
            .iter()
            .position(|item| item.id == id)
            .ok_or_else(|| self.error(field, format!("no item with id `{id}`")))
    }

    /// A whole number in `1..=max`, as a count.
    fn count_in(&self, field: &str, value: i64, max: usize) -> Result<usize, DefinitionError> {
        usize::try_from(value)
            .ok()
            .filter(|count| (1..=max).contains(count))
            .ok_or_else(|| self.error(field, format!("must be between 1 and {max}")))
    }

    fn decimal(&self, field: &str, text: &str) -> Result<Exact, DefinitionError> {
        Exact::parse_decimal(text).map_err(|error| self.error(field, error.to_string()))
    }

    /// Ids are lower-case ASCII letters, digits and `_`, starting with a letter, so they
    /// work as JSON keys, CSV headers and URL segments alike.
    fn identifier(&self, field: &str, value: &str) -> Result<(), DefinitionError> {
        let mut bytes = value.bytes();
        let starts_with_letter = bytes.next().is_some_and(|b| b.is_ascii_lowercase());
        if starts_with_letter
            && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            Ok(())
        } else {
            Err(self.error(
                field,
                format!(
                    "`{value}` must be lower-case letters, digits and _, starting with a letter"
                ),
            ))
        }
    }

    /// Non-empty text without line breaks.
    fn text(&self, field: &str, value: &str) -> Result<(), DefinitionError> {
        if value.trim().is_empty() {
            Err(self.error(field, "cannot be empty"))
        } else if value.chars().any(char::is_control) {
            Err(self.error(field, "cannot contain line breaks or control characters"))
        } else {
            Ok(())
        }
    }

    fn label(&self, field: &str, value: &str) -> Result<(), DefinitionError> {
        self.text(field, value)?;
        let length = value.chars().count();
        if length > MAX_LABEL_CHARS {
            return Err(self.error(
                field,
                format!(
                    "is {length} characters; a label is a short topic of at most {MAX_LABEL_CHARS}"
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
