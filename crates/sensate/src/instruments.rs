//! `sensate instruments import` and `sensate instruments list`: a practice's validated
//! questionnaire wording, imported as a FHIR R4 Questionnaire.
//!
//! Sensate ships no questionnaire's wording (it is often licensed); each item carries a
//! short label in our own words. A practice that holds the validated wording imports
//! it; the import is checked item by item against the built-in scoring and refused,
//! naming the first difference, when it does not match.

use std::path::Path;

use sensate_instruments::Catalogue;
use sensate_instruments::fhir::import_questionnaire;
use sensate_store::WordingRecord;

use crate::database;
use crate::settings::{ConfigError, Settings, prepare_data_dir};

/// Checks `file` against the built-in instrument and stores its wording.
pub async fn import(
    settings: &Settings,
    file: &Path,
    instrument: Option<&str>,
) -> anyhow::Result<()> {
    let refuse = |why: String| ConfigError(format!("cannot import {}: {why}", file.display()));
    let json = std::fs::read_to_string(file).map_err(|error| refuse(error.to_string()))?;
    let catalogue = Catalogue::builtin()?;
    let wording = import_questionnaire(&catalogue, &json, instrument)
        .map_err(|error| refuse(error.to_string()))?;
    prepare_data_dir(&settings.data_dir)?;
    let store = database::open_and_migrate(&settings.database).await?;
    store
        .save_wording(&WordingRecord {
            instrument_id: wording.instrument.clone(),
            instrument_version: wording.instrument_version.clone(),
            wording_json: serde_json::to_string(&wording)?,
            imported_at: sensate_domain::clock::now(),
        })
        .await?;
    store.close().await;
    let name = catalogue
        .get(&wording.instrument)
        .map(|instrument| instrument.name().to_owned())
        .unwrap_or_default();
    println!(
        "Imported the wording of {name} ({} {}): {} items matched the scoring{}.",
        wording.instrument,
        wording.instrument_version,
        wording.items.len(),
        if wording.skipped.is_empty() {
            String::new()
        } else {
            format!(
                ", {} question(s) not scored were left out",
                wording.skipped.len()
            )
        }
    );
    println!(
        "The wording is stored in this installation's database, replacing any earlier import."
    );
    Ok(())
}

/// Lists the built-in instruments and whether validated wording has been imported.
pub async fn list(settings: &Settings) -> anyhow::Result<()> {
    let catalogue = Catalogue::builtin()?;
    prepare_data_dir(&settings.data_dir)?;
    let store = database::open_and_migrate(&settings.database).await?;
    let imported = store.wordings().await?;
    store.close().await;
    for instrument in catalogue.ids().filter_map(|id| catalogue.get(id)) {
        let wording = imported
            .iter()
            .find(|w| w.instrument_id == instrument.id())
            .map_or_else(
                || "our short labels only (import the validated wording to show it)".to_owned(),
                |w| format!("validated wording imported {}", w.imported_at.date()),
            );
        println!("{:<7} {:<40} {wording}", instrument.id(), instrument.name());
    }
    Ok(())
}
