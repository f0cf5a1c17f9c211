//! The public directory on PostgreSQL: profiles, tags, `tsvector` search, credentials.

use async_trait::async_trait;
use sensate_domain::{AccountId, PracticeId};
use sensate_store::relevance::{IN_LABELS, IN_NAME, IN_TEXT};
use sensate_store::{
    Audited, COUNT_CAP, CredentialRecord, Directory, DirectoryMatches, DirectoryQuery,
    DirectoryReading, ProfileHit, ProfileRecord, ProfileStatus, ProfileTag, StoreError,
};
use sqlx::{Postgres, QueryBuilder};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::append;
use crate::{PostgresStore, error};

/// The profile columns, for `concat!` into each query that reads them.
macro_rules! select_profiles {
    () => {
        "SELECT profile_id, practice_id, account_id, display_name, pronouns, about, \
         first_session, concerns, approaches, competences, languages, degrees, in_person, \
         office, latitude, longitude, video, video_jurisdictions, fee_low, fee_high, \
         sliding_scale, insurance, accepting, status, held_for, listed_until, search_text, \
         name_words, label_words, updated_at FROM directory_profile "
    };
}

/// The profile columns without the "about" texts, for the search index's readings.
macro_rules! select_profiles_for_search {
    () => {
        "SELECT profile_id, practice_id, account_id, display_name, pronouns, '' AS about, \
         '' AS first_session, concerns, approaches, competences, languages, degrees, \
         in_person, office, latitude, longitude, video, video_jurisdictions, fee_low, \
         fee_high, sliding_scale, insurance, accepting, status, held_for, listed_until, \
         search_text, name_words, label_words, updated_at FROM directory_profile p "
    };
}

macro_rules! select_credentials {
    () => {
        "SELECT credential_id, profile_id, kind, type_id, number, jurisdiction, expires_on, \
         status, evidence_note, evidence_type, submitted_at, verified_by, \
         decided_on, verified_until, checked, rejected_reason FROM directory_credential "
    };
}

fn lines(list: &[String]) -> String {
    list.join("\n")
}

fn list(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    profile_id: Uuid,
    practice_id: Uuid,
    account_id: Uuid,
    display_name: String,
    pronouns: String,
    about: String,
    first_session: String,
    concerns: String,
    approaches: String,
    competences: String,
    languages: String,
    degrees: String,
    in_person: bool,
    office: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    video: bool,
    video_jurisdictions: String,
    fee_low: Option<i64>,
    fee_high: Option<i64>,
    sliding_scale: bool,
    insurance: String,
    accepting: bool,
    status: String,
    held_for: String,
    listed_until: Option<Date>,
    search_text: String,
    name_words: String,
    label_words: String,
    updated_at: OffsetDateTime,
}

impl TryFrom<ProfileRow> for ProfileRecord {
    type Error = StoreError;

    fn try_from(row: ProfileRow) -> Result<Self, StoreError> {
        Ok(ProfileRecord {
            id: row.profile_id,
            practice_id: PracticeId::from_uuid(row.practice_id),
            account_id: AccountId::from_uuid(row.account_id),
            display_name: row.display_name,
            pronouns: row.pronouns,
            about: row.about,
            first_session: row.first_session,
            concerns: list(&row.concerns),
            approaches: list(&row.approaches),
            competences: list(&row.competences),
            languages: list(&row.languages),
            degrees: list(&row.degrees),
            in_person: row.in_person,
            office: row.office,
            latitude: row.latitude,
            longitude: row.longitude,
            video: row.video,
            video_jurisdictions: list(&row.video_jurisdictions),
            fee_low: row.fee_low,
            fee_high: row.fee_high,
            sliding_scale: row.sliding_scale,
            insurance: list(&row.insurance),
            accepting: row.accepting,
            status: ProfileStatus::parse(&row.status).ok_or_else(|| StoreError::Corrupt {
                what: "directory profile status",
                reason: "not a known status".into(),
            })?,
            held_for: row.held_for,
            listed_until: row.listed_until,
            search_text: row.search_text,
            name_words: row.name_words,
            label_words: row.label_words,
            updated_at: row.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct CredentialRow {
    credential_id: Uuid,
    profile_id: Uuid,
    kind: String,
    type_id: String,
    number: String,
    jurisdiction: String,
    expires_on: Option<Date>,
    status: String,
    evidence_note: String,
    evidence_type: Option<String>,
    submitted_at: OffsetDateTime,
    verified_by: Option<Uuid>,
    decided_on: Option<Date>,
    verified_until: Option<Date>,
    checked: String,
    rejected_reason: String,
}

impl From<CredentialRow> for CredentialRecord {
    fn from(row: CredentialRow) -> Self {
        CredentialRecord {
            id: row.credential_id,
            profile_id: row.profile_id,
            kind: row.kind,
            type_id: row.type_id,
            number: row.number,
            jurisdiction: row.jurisdiction,
            expires_on: row.expires_on,
            status: row.status,
            evidence_note: row.evidence_note,
            evidence_type: row.evidence_type,
            submitted_at: row.submitted_at,
            verified_by: row.verified_by.map(AccountId::from_uuid),
            decided_on: row.decided_on,
            verified_until: row.verified_until,
            checked: row.checked,
            rejected_reason: row.rejected_reason,
        }
    }
}

#[derive(sqlx::FromRow)]
struct HitRow {
    profile_id: Uuid,
    relevance: f64,
    display_name: String,
    latitude: Option<f64>,
    longitude: Option<f64>,
}

/// The `tsquery` for folded words: each a prefix, all required. The app passes only
/// letters and digits, and anything else is dropped here too, so nothing a seeker types
/// is `tsquery` syntax.
fn match_expression(words: &[String]) -> String {
    words
        .iter()
        .map(|word| {
            word.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .map(|word| format!("{word}:*"))
        .collect::<Vec<_>>()
        .join(" & ")
}

/// The relevance every backend computes the same way (`sensate_store::relevance`):
/// where each word first begins a word, the name or the chosen labels, else the text.
fn push_relevance(builder: &mut QueryBuilder<Postgres>, words: &[String]) {
    if words.is_empty() {
        builder.push("0.0::float8");
        return;
    }
    builder.push("(0");
    for word in words {
        builder.push(" + CASE WHEN strpos(' ' || p.name_words, ' ' || ");
        builder.push_bind(word.clone());
        builder.push(format!(
            ") > 0 THEN {IN_NAME} WHEN strpos(' ' || p.label_words, ' ' || "
        ));
        builder.push_bind(word.clone());
        builder.push(format!(") > 0 THEN {IN_LABELS} ELSE {IN_TEXT} END"));
    }
    builder.push(")::float8");
}

/// Everything after `FROM`: the same for the page and for the count.
fn push_conditions(builder: &mut QueryBuilder<Postgres>, query: &DirectoryQuery) {
    builder.push(" FROM directory_profile p ");
    builder.push("WHERE p.status = 'published' AND p.listed_until >= ");
    builder.push_bind(query.today);
    if !query.words.is_empty() {
        builder.push(" AND p.search_vector @@ to_tsquery('simple', ");
        builder.push_bind(match_expression(&query.words));
        builder.push(")");
    }
    if query.accepting_only {
        builder.push(" AND p.accepting");
    }
    if query.sliding_scale_only {
        builder.push(" AND p.sliding_scale");
    }
    if query.in_person_only {
        builder.push(" AND p.in_person");
    }
    if query.video_only {
        builder.push(" AND p.video");
    }
    if let Some(fee) = query.max_fee {
        builder.push(" AND p.fee_low IS NOT NULL AND p.fee_low <= ");
        builder.push_bind(fee);
    }
    for tag in &query.tags {
        builder.push(
            " AND EXISTS (SELECT 1 FROM directory_profile_tag t WHERE t.profile_id = p.profile_id AND t.tag = ",
        );
        builder.push_bind(tag.clone());
        builder.push(" AND (t.until IS NULL OR t.until >= ");
        builder.push_bind(query.today);
        builder.push("))");
    }
    if let Some(area) = &query.area {
        builder.push(" AND p.latitude BETWEEN ");
        builder.push_bind(area.min_latitude);
        builder.push(" AND ");
        builder.push_bind(area.max_latitude);
        builder.push(" AND (");
        for (index, (west, east)) in area.longitudes.iter().enumerate() {
            if index > 0 {
                builder.push(" OR ");
            }
            builder.push("p.longitude BETWEEN ");
            builder.push_bind(*west);
            builder.push(" AND ");
            builder.push_bind(*east);
        }
        if area.longitudes.is_empty() {
            builder.push("1 = 0");
        }
        builder.push(")");
    }
}

impl PostgresStore {
    /// Profiles matching `condition` (which may use `$1`, bound to `since`) with their
    /// tags (read from the whole tag table when `every_tag`, which is faster when most
    /// profiles are read), and the revision, in one snapshot so the revision names exactly what was
    /// read.
    async fn read_directory(
        &self,
        condition: &str,
        since: i64,
        every_tag: bool,
    ) -> Result<DirectoryReading, StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        let revision: i64 = sqlx::query_scalar("SELECT revision FROM directory_revision")
            .fetch_one(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        let rows: Vec<ProfileRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{} WHERE {condition}",
            select_profiles_for_search!()
        )))
        .bind(since)
        .fetch_all(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        let tags: Vec<(Uuid, String)> = if every_tag {
            // The whole tag table as one text: one pass, no sort, no row per tag.
            let all: Option<String> = sqlx::query_scalar(
                "SELECT string_agg(profile_id::text || chr(29) || tag || chr(31) || coalesce(to_char(until, 'YYYY-MM-DD'), ''), chr(30)) FROM directory_profile_tag",
            )
            .fetch_one(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
            sensate_store::tag_rows(all.as_deref().unwrap_or_default())?
        } else {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT t.profile_id, string_agg(t.tag || chr(31) || coalesce(to_char(t.until, 'YYYY-MM-DD'), ''), chr(30)) FROM directory_profile_tag t \
                 WHERE t.profile_id IN (SELECT p.profile_id FROM directory_profile p \
                 WHERE {condition}) GROUP BY t.profile_id"
            )))
            .bind(since)
            .fetch_all(&mut *tx)
            .await
            .map_err(error::from_sqlx)?
        };
        tx.commit().await.map_err(error::from_sqlx)?;
        let profiles = rows
            .into_iter()
            .map(ProfileRecord::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DirectoryReading {
            revision,
            profiles: sensate_store::with_tag_lists(profiles, tags)?,
        })
    }
}

#[async_trait]
impl Directory for PostgresStore {
    async fn save_profile(
        &self,
        profile: &ProfileRecord,
        tags: &[ProfileTag],
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        // The revision row's lock is held to the commit, so revisions are committed in
        // order: whoever reads revision R has every save up to R.
        let revision: i64 = sqlx::query_scalar(
            "UPDATE directory_revision SET revision = revision + 1 RETURNING revision",
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        sqlx::query(
            "INSERT INTO directory_profile (profile_id, practice_id, account_id, display_name, \
             pronouns, about, first_session, concerns, approaches, competences, languages, \
             degrees, in_person, office, latitude, longitude, video, video_jurisdictions, \
             fee_low, fee_high, sliding_scale, insurance, accepting, status, held_for, \
             listed_until, search_text, name_words, label_words, updated_at, revision) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
             $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31) \
             ON CONFLICT (profile_id) DO UPDATE SET display_name = excluded.display_name, \
             pronouns = excluded.pronouns, about = excluded.about, \
             first_session = excluded.first_session, concerns = excluded.concerns, \
             approaches = excluded.approaches, competences = excluded.competences, \
             languages = excluded.languages, degrees = excluded.degrees, \
             in_person = excluded.in_person, office = excluded.office, \
             latitude = excluded.latitude, longitude = excluded.longitude, \
             video = excluded.video, video_jurisdictions = excluded.video_jurisdictions, \
             fee_low = excluded.fee_low, fee_high = excluded.fee_high, \
             sliding_scale = excluded.sliding_scale, insurance = excluded.insurance, \
             accepting = excluded.accepting, status = excluded.status, \
             held_for = excluded.held_for, listed_until = excluded.listed_until, \
             search_text = excluded.search_text, name_words = excluded.name_words, \
             label_words = excluded.label_words, updated_at = excluded.updated_at, \
             revision = excluded.revision",
        )
        .bind(profile.id)
        .bind(profile.practice_id.as_uuid())
        .bind(profile.account_id.as_uuid())
        .bind(&profile.display_name)
        .bind(&profile.pronouns)
        .bind(&profile.about)
        .bind(&profile.first_session)
        .bind(lines(&profile.concerns))
        .bind(lines(&profile.approaches))
        .bind(lines(&profile.competences))
        .bind(lines(&profile.languages))
        .bind(lines(&profile.degrees))
        .bind(profile.in_person)
        .bind(profile.office.as_deref())
        .bind(profile.latitude)
        .bind(profile.longitude)
        .bind(profile.video)
        .bind(lines(&profile.video_jurisdictions))
        .bind(profile.fee_low)
        .bind(profile.fee_high)
        .bind(profile.sliding_scale)
        .bind(lines(&profile.insurance))
        .bind(profile.accepting)
        .bind(profile.status.code())
        .bind(&profile.held_for)
        .bind(profile.listed_until)
        .bind(&profile.search_text)
        .bind(&profile.name_words)
        .bind(&profile.label_words)
        .bind(profile.updated_at)
        .bind(revision)
        .execute(&mut *tx)
        .await
        .map_err(error::conflict_or("directory profile"))?;
        sqlx::query("DELETE FROM directory_profile_tag WHERE profile_id = $1")
            .bind(profile.id)
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        for tag in tags {
            sqlx::query(
                "INSERT INTO directory_profile_tag (tag, profile_id, until) VALUES ($1, $2, $3) \
                 ON CONFLICT (tag, profile_id) DO NOTHING",
            )
            .bind(&tag.tag)
            .bind(profile.id)
            .bind(tag.until)
            .execute(&mut *tx)
            .await
            .map_err(error::from_sqlx)?;
        }
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn profile(&self, id: Uuid) -> Result<Option<ProfileRecord>, StoreError> {
        let row: Option<ProfileRow> =
            sqlx::query_as(concat!(select_profiles!(), "WHERE profile_id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(error::from_sqlx)?;
        row.map(ProfileRecord::try_from).transpose()
    }

    async fn profiles(&self, ids: &[Uuid]) -> Result<Vec<ProfileRecord>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut builder: QueryBuilder<Postgres> =
            QueryBuilder::new(concat!(select_profiles!(), "WHERE profile_id IN ("));
        let mut separated = builder.separated(", ");
        for id in ids {
            separated.push_bind(*id);
        }
        builder.push(")");
        let rows: Vec<ProfileRow> = builder
            .build_query_as()
            .fetch_all(&self.pool)
            .await
            .map_err(error::from_sqlx)?;
        let mut records = rows
            .into_iter()
            .map(ProfileRecord::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        records.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
        Ok(records)
    }

    async fn profile_of(&self, account: AccountId) -> Result<Option<ProfileRecord>, StoreError> {
        let row: Option<ProfileRow> =
            sqlx::query_as(concat!(select_profiles!(), "WHERE account_id = $1"))
                .bind(account.as_uuid())
                .fetch_optional(&self.pool)
                .await
                .map_err(error::from_sqlx)?;
        row.map(ProfileRecord::try_from).transpose()
    }

    async fn profiles_with_status(
        &self,
        status: ProfileStatus,
    ) -> Result<Vec<ProfileRecord>, StoreError> {
        let rows: Vec<ProfileRow> = sqlx::query_as(concat!(
            select_profiles!(),
            "WHERE status = $1 ORDER BY updated_at, profile_id"
        ))
        .bind(status.code())
        .fetch_all(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        rows.into_iter().map(ProfileRecord::try_from).collect()
    }

    async fn search_profiles(
        &self,
        query: &DirectoryQuery,
    ) -> Result<DirectoryMatches, StoreError> {
        let mut select: QueryBuilder<Postgres> = QueryBuilder::new("SELECT p.profile_id, ");
        push_relevance(&mut select, &query.words);
        select.push(" AS relevance, p.display_name, p.latitude, p.longitude");
        push_conditions(&mut select, query);
        // Without words every relevance is the same, and ordering by name alone lets the
        // name index serve the page. In a box, the nearest come first (by a flat-earth
        // distance, which orders as the true one does over a search radius), so the
        // limit never drops a nearer therapist for a farther one; the app measures the
        // exact distance.
        select.push(" ORDER BY ");
        if !query.words.is_empty() {
            select.push("relevance DESC, ");
        }
        if let Some(area) = &query.area {
            select.push("((p.latitude - ");
            select.push_bind(area.centre.0);
            select.push(") * (p.latitude - ");
            select.push_bind(area.centre.0);
            select.push(") + (p.longitude - ");
            select.push_bind(area.centre.1);
            select.push(") * (p.longitude - ");
            select.push_bind(area.centre.1);
            select.push(") * ");
            select.push_bind(area.longitude_scale * area.longitude_scale);
            select.push("), ");
        }
        select.push("p.display_name, p.profile_id LIMIT ");
        select.push_bind(i64::from(query.limit));
        if query.area.is_none() {
            select.push(" OFFSET ");
            select.push_bind(i64::from(query.offset));
        }
        let rows: Vec<HitRow> = select
            .build_query_as()
            .fetch_all(&self.pool)
            .await
            .map_err(error::from_sqlx)?;
        // Counting every match of a broad search costs more than the page itself, and
        // nobody reads past "more than a thousand": the count stops there.
        let total = if query.area.is_none() {
            let mut count: QueryBuilder<Postgres> =
                QueryBuilder::new("SELECT COUNT(*) FROM (SELECT 1");
            push_conditions(&mut count, query);
            count.push(" LIMIT ");
            count.push_bind(i64::try_from(COUNT_CAP + 1).unwrap_or(i64::MAX));
            count.push(") AS capped");
            let total: i64 = count
                .build_query_scalar()
                .fetch_one(&self.pool)
                .await
                .map_err(error::from_sqlx)?;
            u64::try_from(total).unwrap_or_default()
        } else {
            rows.len() as u64
        };
        Ok(DirectoryMatches {
            hits: rows
                .into_iter()
                .map(|row| ProfileHit {
                    id: row.profile_id,
                    relevance: row.relevance,
                    display_name: row.display_name.into(),
                    latitude: row.latitude,
                    longitude: row.longitude,
                })
                .collect(),
            total,
        })
    }

    async fn directory_revision(&self) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT revision FROM directory_revision")
            .fetch_one(&self.pool)
            .await
            .map_err(error::from_sqlx)
    }

    async fn listed_profiles(&self) -> Result<DirectoryReading, StoreError> {
        // Every revision is above -1 (a profile saved before revisions were kept has 0).
        self.read_directory(
            "p.revision > $1 AND p.status = 'published' AND p.listed_until IS NOT NULL",
            -1,
            true,
        )
        .await
    }

    async fn profiles_saved_since(&self, revision: i64) -> Result<DirectoryReading, StoreError> {
        self.read_directory("p.revision > $1", revision, false)
            .await
    }

    async fn save_credential(
        &self,
        credential: &CredentialRecord,
        evidence: Option<&[u8]>,
        audit: Audited<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(error::from_sqlx)?;
        sqlx::query(
            "INSERT INTO directory_credential (credential_id, profile_id, kind, type_id, number, \
             jurisdiction, expires_on, status, evidence_note, evidence_type, evidence_sealed, \
             submitted_at, verified_by, decided_on, verified_until, checked, rejected_reason) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
             ON CONFLICT (credential_id) DO UPDATE SET type_id = excluded.type_id, \
             number = excluded.number, jurisdiction = excluded.jurisdiction, \
             expires_on = excluded.expires_on, status = excluded.status, \
             evidence_note = excluded.evidence_note, verified_by = excluded.verified_by, \
             decided_on = excluded.decided_on, verified_until = excluded.verified_until, \
             checked = excluded.checked, rejected_reason = excluded.rejected_reason",
        )
        .bind(credential.id)
        .bind(credential.profile_id)
        .bind(&credential.kind)
        .bind(&credential.type_id)
        .bind(&credential.number)
        .bind(&credential.jurisdiction)
        .bind(credential.expires_on)
        .bind(&credential.status)
        .bind(&credential.evidence_note)
        .bind(credential.evidence_type.as_deref())
        .bind(evidence)
        .bind(credential.submitted_at)
        .bind(credential.verified_by.map(|a| a.as_uuid()))
        .bind(credential.decided_on)
        .bind(credential.verified_until)
        .bind(&credential.checked)
        .bind(&credential.rejected_reason)
        .execute(&mut *tx)
        .await
        .map_err(error::from_sqlx)?;
        for event in audit.events {
            append(&mut tx, audit.chain, event, audit.at).await?;
        }
        tx.commit().await.map_err(error::from_sqlx)
    }

    async fn profile_credentials(
        &self,
        profile: Uuid,
    ) -> Result<Vec<CredentialRecord>, StoreError> {
        let rows: Vec<CredentialRow> = sqlx::query_as(concat!(
            select_credentials!(),
            "WHERE profile_id = $1 ORDER BY submitted_at, credential_id"
        ))
        .bind(profile)
        .fetch_all(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        Ok(rows.into_iter().map(CredentialRecord::from).collect())
    }

    async fn credential(&self, id: Uuid) -> Result<Option<CredentialRecord>, StoreError> {
        let row: Option<CredentialRow> =
            sqlx::query_as(concat!(select_credentials!(), "WHERE credential_id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(error::from_sqlx)?;
        Ok(row.map(CredentialRecord::from))
    }

    async fn credential_evidence(&self, id: Uuid) -> Result<Option<Vec<u8>>, StoreError> {
        let sealed: Option<Option<Vec<u8>>> = sqlx::query_scalar(
            "SELECT evidence_sealed FROM directory_credential WHERE credential_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        Ok(sealed.flatten())
    }

    async fn submitted_credentials(&self) -> Result<Vec<CredentialRecord>, StoreError> {
        let rows: Vec<CredentialRow> = sqlx::query_as(concat!(
            select_credentials!(),
            "WHERE status = 'submitted' ORDER BY submitted_at, credential_id"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(error::from_sqlx)?;
        Ok(rows.into_iter().map(CredentialRecord::from).collect())
    }
}
