//! `sensate instruments import` and `list`.

use sensate_instruments::Catalogue;
use sensate_instruments::fhir::questionnaire_template;

use crate::support::{data_dir, run, stderr, stdout};

fn phq9_questionnaire() -> serde_json::Value {
    let catalogue = Catalogue::builtin().unwrap();
    questionnaire_template(catalogue.get("phq9").unwrap())
}

#[test]
fn a_matching_questionnaire_is_imported_and_listed() {
    let dir = data_dir();
    let file = dir.path().join("phq9.json");
    std::fs::write(&file, phq9_questionnaire().to_string()).unwrap();
    let data = dir.path().to_str().unwrap();
    let imported = run(&[
        "instruments",
        "import",
        "--data-dir",
        data,
        file.to_str().unwrap(),
    ]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(stdout(&imported).contains("phq9"), "{}", stdout(&imported));
    assert!(
        stdout(&imported).contains("9 items matched"),
        "{}",
        stdout(&imported)
    );
    let listed = stdout(&run(&["instruments", "list", "--data-dir", data]));
    let phq9 = listed.lines().find(|l| l.starts_with("phq9")).unwrap();
    assert!(phq9.contains("validated wording imported"), "{listed}");
    let gad7 = listed.lines().find(|l| l.starts_with("gad7")).unwrap();
    assert!(gad7.contains("our short labels only"), "{listed}");
}

#[test]
fn a_questionnaire_that_does_not_match_is_refused_naming_the_difference() {
    let dir = data_dir();
    let mut questionnaire = phq9_questionnaire();
    let items = questionnaire["item"].as_array_mut().unwrap();
    items.pop();
    let file = dir.path().join("short.json");
    std::fs::write(&file, questionnaire.to_string()).unwrap();
    let data = dir.path().to_str().unwrap();
    let refused = run(&[
        "instruments",
        "import",
        "--data-dir",
        data,
        file.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    let message = stderr(&refused);
    assert!(message.contains("cannot import"), "{message}");
    assert!(message.contains("phq9"), "{message}");
    let listed = stdout(&run(&["instruments", "list", "--data-dir", data]));
    assert!(
        !listed.contains("validated wording imported"),
        "nothing was stored"
    );
}

#[test]
fn a_file_that_is_not_a_questionnaire_is_refused() {
    let dir = data_dir();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "not json at all").unwrap();
    let refused = run(&[
        "instruments",
        "import",
        "--data-dir",
        dir.path().to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("cannot import"));
    let missing = run(&[
        "instruments",
        "import",
        "--data-dir",
        dir.path().to_str().unwrap(),
        "/nonexistent.json",
    ]);
    assert_eq!(missing.status.code(), Some(2));
}
