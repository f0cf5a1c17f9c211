//! Case messages: the clinician's view and a client's, sending, and sharing a private
//! message with the case (the same rules as the pages: the client it belongs to may
//! share it; the clinician only under a couple's "no secrets" policy).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sensate_app::{MessageError, MessageView, Recipients};
use sensate_crypto::secrecy::ExposeSecret;
use sensate_domain::CaseId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::cases::case_id;
use super::error::{FieldProblem, Problem};
use super::json::JsonBody;
use super::{ApiError, ApiMember, timestamp};
use crate::AppState;
use crate::routes::Routes;
use crate::session::Member;

pub(super) fn router() -> Routes {
    Routes::new()
        .get_and_post("/api/cases/{id}/messages", case_messages, clinician_send)
        .post("/api/cases/{id}/messages/{message}/share", clinician_share)
        .get_and_post("/api/portal/cases/{id}/messages", my_messages, client_send)
        .post(
            "/api/portal/cases/{id}/messages/{message}/share",
            client_share,
        )
}

/// One message.
#[derive(Serialize, ToSchema)]
pub(crate) struct MessageOut {
    id: String,
    author: String,
    /// True when a clinician wrote it.
    from_clinician: bool,
    /// True when the person asking wrote it.
    mine: bool,
    text: String,
    /// The client it is private to (with the clinician); absent for the whole case.
    private_to: Option<String>,
    /// RFC 3339.
    sent_at: String,
    /// When a private message was shared with the case (RFC 3339).
    shared_at: Option<String>,
    /// True when it arrived since the person last read the messages.
    new: bool,
}

fn message_out(message: MessageView) -> MessageOut {
    MessageOut {
        id: message.id.to_string(),
        author: message.author.expose_secret().to_owned(),
        from_clinician: message.from_clinician,
        mine: message.mine,
        text: message.text.expose_secret().to_owned(),
        private_to: message.private_to.map(|c| c.to_string()),
        sent_at: timestamp(message.sent_at),
        shared_at: message.shared_at.map(timestamp),
        new: message.new,
    }
}

/// A message to send.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MessageIn {
    text: String,
    /// `case` for everyone in the case; for a clinician, a client's id to write to them
    /// privately; for a client, `me` to write to the therapist alone.
    #[serde(default)]
    to: String,
}

/// The sent message's id.
#[derive(Serialize, ToSchema)]
pub(crate) struct Sent {
    id: String,
}

fn send_error(error: MessageError) -> ApiError {
    match error {
        MessageError::Invalid(message) => {
            ApiError::Invalid(vec![FieldProblem::new("text", message)])
        }
        MessageError::Recipient => {
            ApiError::Invalid(vec![FieldProblem::new("to", MessageError::Recipient)])
        }
        MessageError::ClientsChoice => ApiError::Conflict(MessageError::ClientsChoice.to_string()),
        MessageError::NotAllowed => ApiError::NotFound,
        MessageError::App(error) => error.into(),
    }
}

async fn read(
    state: &AppState,
    member: &Member,
    case: CaseId,
) -> Result<Vec<MessageOut>, ApiError> {
    let messages = state
        .app
        .case_messages(&member.signed_in, case, &member.audit)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(messages.into_iter().map(message_out).collect())
}

async fn send(
    state: &AppState,
    member: &Member,
    case: CaseId,
    message: MessageIn,
    as_client: bool,
) -> Result<(StatusCode, Json<Sent>), ApiError> {
    let me = member.signed_in.client_id;
    let to = match (message.to.as_str(), as_client) {
        ("" | "case", _) => Recipients::Case,
        ("me", true) => Recipients::Privately(me.ok_or(ApiError::NotFound)?),
        (other, false) => Recipients::Privately(
            other
                .parse()
                .map_err(|_| send_error(MessageError::Recipient))?,
        ),
        (_, true) => return Err(send_error(MessageError::Recipient)),
    };
    let id = state
        .app
        .send_message(&member.signed_in, case, &message.text, to, &member.audit)
        .await
        .map_err(send_error)?;
    Ok((StatusCode::CREATED, Json(Sent { id: id.to_string() })))
}

async fn share(
    state: &AppState,
    member: &Member,
    case: CaseId,
    message: &str,
) -> Result<StatusCode, ApiError> {
    let message: Uuid = message.parse().map_err(|_| ApiError::NotFound)?;
    state
        .app
        .share_message(&member.signed_in, case, message, &member.audit)
        .await
        .map_err(send_error)?;
    Ok(StatusCode::NO_CONTENT)
}

/// A case's messages, every one, for its clinician (oldest first). Reading marks them
/// read.
#[utoipa::path(
    get,
    path = "/api/cases/{id}/messages",
    tag = "messages",
    params(("id" = String, Path, description = "The case's id")),
    responses(
        (status = 200, description = "The messages", body = [MessageOut]),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No such case, or not in your care", body = Problem),
    )
)]
pub(crate) async fn case_messages(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<String>,
) -> Result<Json<Vec<MessageOut>>, ApiError> {
    let case = case_id(&id)?;
    let member = member.clinician()?;
    read(&state, member, case).await.map(Json)
}

/// Sends a message to the whole case, or privately to one of its clients.
#[utoipa::path(
    post,
    path = "/api/cases/{id}/messages",
    tag = "messages",
    params(("id" = String, Path, description = "The case's id")),
    request_body = MessageIn,
    responses(
        (status = 201, description = "Sent", body = Sent),
        (status = 400, description = "The body is not a message", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No such case, or not in your care", body = Problem),
        (status = 422, description = "Empty text, or a recipient outside the case", body = Problem),
    )
)]
pub(crate) async fn clinician_send(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<String>,
    JsonBody(message): JsonBody<MessageIn>,
) -> Result<(StatusCode, Json<Sent>), ApiError> {
    let case = case_id(&id)?;
    let member = member.clinician()?;
    send(&state, member, case, message, false).await
}

/// Shares a client's private message with the whole case: allowed to the clinician
/// only under a couple's "no secrets" policy.
#[utoipa::path(
    post,
    path = "/api/cases/{id}/messages/{message}/share",
    tag = "messages",
    params(
        ("id" = String, Path, description = "The case's id"),
        ("message" = String, Path, description = "The message's id"),
    ),
    responses(
        (status = 204, description = "Shared (or already the case's)"),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No such message in a case in your care", body = Problem),
        (status = 409, description = "Under this case's secrets policy only the client can share it", body = Problem),
    )
)]
pub(crate) async fn clinician_share(
    State(state): State<AppState>,
    member: ApiMember,
    Path((id, message)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let case = case_id(&id)?;
    let member = member.clinician()?;
    share(&state, member, case, &message).await
}

/// The signed-in client's messages in one of their cases: the whole case's and their
/// own private ones (oldest first). Reading marks them read.
#[utoipa::path(
    get,
    path = "/api/portal/cases/{id}/messages",
    tag = "portal",
    params(("id" = String, Path, description = "The case's id")),
    responses(
        (status = 200, description = "The messages", body = [MessageOut]),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "Not your case", body = Problem),
    )
)]
pub(crate) async fn my_messages(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<String>,
) -> Result<Json<Vec<MessageOut>>, ApiError> {
    let case = case_id(&id)?;
    member.0.in_own_portal()?;
    read(&state, &member.0, case).await.map(Json)
}

/// Sends a message to the case, or (`"to": "me"`) to the therapist alone.
#[utoipa::path(
    post,
    path = "/api/portal/cases/{id}/messages",
    tag = "portal",
    params(("id" = String, Path, description = "The case's id")),
    request_body = MessageIn,
    responses(
        (status = 201, description = "Sent", body = Sent),
        (status = 400, description = "The body is not a message", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "Not your case", body = Problem),
        (status = 422, description = "Empty text, or a recipient other than the case or your therapist", body = Problem),
    )
)]
pub(crate) async fn client_send(
    State(state): State<AppState>,
    member: ApiMember,
    Path(id): Path<String>,
    JsonBody(message): JsonBody<MessageIn>,
) -> Result<(StatusCode, Json<Sent>), ApiError> {
    let case = case_id(&id)?;
    member.0.in_own_portal()?;
    send(&state, &member.0, case, message, true).await
}

/// Shares one of the client's own private messages with the whole case.
#[utoipa::path(
    post,
    path = "/api/portal/cases/{id}/messages/{message}/share",
    tag = "portal",
    params(
        ("id" = String, Path, description = "The case's id"),
        ("message" = String, Path, description = "The message's id"),
    ),
    responses(
        (status = 204, description = "Shared (or already the case's)"),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "Not one of your private messages", body = Problem),
    )
)]
pub(crate) async fn client_share(
    State(state): State<AppState>,
    member: ApiMember,
    Path((id, message)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let case = case_id(&id)?;
    member.0.in_own_portal()?;
    share(&state, &member.0, case, &message)
        .await
        .map_err(|error| match error {
            // A client never learns more about someone else's message than "not found".
            ApiError::Conflict(_) => ApiError::NotFound,
            other => other,
        })
}
