//! The result of scoring one response, and its one JSON shape.
//!
//! `sensate score` prints it and the web app will store and show it, so the shape is
//! fixed here once:
//! `{"instrument", "version", "total", "domains": {id: number|null}, "band", "positive",
//! "flags": [...]}`. Numbers stay [`Exact`] until serialisation, where a whole number
//! becomes a JSON integer and anything else the nearest float (`26.5`).

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::exact::Exact;

/// One scored response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    /// The instrument id (`fsfi`).
    pub instrument: String,
    /// The definition version it was scored with.
    pub version: String,
    /// The total, or `None` when the missing-data rule cannot score it.
    pub total: Option<Exact>,
    /// Each domain in definition order; `None` where it cannot be scored.
    #[serde(serialize_with = "domains_as_map")]
    pub domains: Vec<DomainScore>,
    /// The published band name, where the instrument has bands and the score is known.
    pub band: Option<String>,
    /// Whether the published cutoff or rule is met; `None` when it cannot be decided.
    pub positive: Option<bool>,
    /// Flags raised, in definition order, then `incomplete` and `prorated`.
    pub flags: Vec<String>,
}

/// One domain's score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainScore {
    /// The domain id (`desire`).
    pub id: String,
    /// Its score, or `None` when too few of its items were answered.
    pub score: Option<Exact>,
}

impl Score {
    /// The score of the domain with this id, if it exists and was scored.
    pub fn domain(&self, id: &str) -> Option<Exact> {
        self.domains
            .iter()
            .find(|domain| domain.id == id)
            .and_then(|domain| domain.score)
    }

    /// Whether the flag with this id was raised.
    pub fn has_flag(&self, id: &str) -> bool {
        self.flags.iter().any(|flag| flag == id)
    }
}

fn domains_as_map<S: Serializer>(
    domains: &[DomainScore],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(domains.len()))?;
    for domain in domains {
        map.serialize_entry(&domain.id, &domain.score)?;
    }
    map.end()
}
