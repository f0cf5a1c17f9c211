//! The public directory: search, therapists' profiles and the guidance for people
//! choosing a therapist. Nothing here needs an account, and nothing here records who
//! is reading or what they searched for.

mod guidance;
mod my_profile;
mod profile;
mod report;
mod search;
mod verify;

use crate::routes::Routes;

pub(crate) fn router() -> Routes {
    Routes::new()
        .get("/directory", search::page)
        .get("/directory/therapists/{id}", profile::page)
        .post("/directory/therapists/{id}/contact", profile::contact)
        .get_and_post(
            "/directory/therapists/{id}/report",
            report::page,
            report::send,
        )
        .get("/directory/guide/{page}", guidance::page)
        .get("/clinic/directory", my_profile::page)
        .post("/clinic/directory/profile", my_profile::save)
        .post(
            "/clinic/directory/credentials",
            my_profile::submit_credential,
        )
        .post(
            "/clinic/directory/requests/{id}/read",
            my_profile::mark_read,
        )
        .get("/verify", verify::page)
        .post("/verify/credentials/{id}", verify::decide)
        .get("/verify/credentials/{id}/evidence", verify::evidence)
        .post("/verify/profiles/{id}/standing", verify::standing)
        .post("/verify/reports/{id}", verify::report)
}
