//! Open311 GeoReport v2 over Open City (<http://wiki.open311.org/GeoReport_v2>): services are
//! the community's categories, service requests its published reports. Reports filed here go
//! through the same checks, routing and moderation as the web form's, so a client gets a
//! `token` first and the `service_request_id` once a moderator publishes the report.
//!
//! `/open311/v2/` of a community's host (or `/c/{slug}/open311/v2/`); on the platform's own
//! host `jurisdiction_id` names the community by its slug. `.json` and `.xml` by extension.

pub mod format;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Duration, Utc};
use format::{Format, Node, Open311Error};
use hromada_city::domain::{self, Status};
use hromada_city::intake::{self, Author, Source};
use hromada_city::store::{self, Category, Report};
use hromada_db::core::communities::{self, Community};
use hromada_db::core::departments;
use hromada_kernel::{GeoPoint, Lang};
use hromada_web::{AppState, Tenant};
use std::collections::BTreeMap;

pub const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";
/// The spec's defaults for `GET requests`: the last 90 days, at most 1000 requests.
pub const DEFAULT_DAYS: i64 = 90;
pub const MAX_REQUESTS: i64 = 1000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/open311/v2/{file}", get(top).post(post_request))
        .route("/open311/v2/services/{file}", get(service_definition))
        .route("/open311/v2/requests/{file}", get(one_request))
        .route("/open311/v2/tokens/{file}", get(token))
}

type Params = Vec<(String, String)>;

fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
}

/// The community asked for: the request's own, which `jurisdiction_id` (if given) must name,
/// or on the platform's host the one `jurisdiction_id` names.
async fn community(state: &AppState, tenant: Option<Tenant>, params: &Params) -> Result<Community, Open311Error> {
    let jurisdiction = param(params, "jurisdiction_id");
    let unknown = || Open311Error::not_found("jurisdiction_id not found");
    match (tenant, jurisdiction) {
        (Some(t), Some(j)) if t.community.slug != j => Err(unknown()),
        (Some(t), _) => Ok(t.community),
        (None, Some(j)) => {
            communities::by_slug(&state.db, j).await.map_err(internal)?.filter(|c| c.enabled).ok_or_else(unknown)
        }
        (None, None) => Err(Open311Error::bad_request("jurisdiction_id required")),
    }
}

fn internal(e: impl std::fmt::Display) -> Open311Error {
    // The cause goes to the log, not to the client.
    tracing::error!(error = %e, "open311 request failed");
    Open311Error::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
}

fn query_params(raw: Option<&str>) -> Params {
    raw.and_then(|q| serde_urlencoded::from_str::<Params>(q).ok()).unwrap_or_default()
}

/// `discovery`, `services` and `requests` (GET) by their file names.
async fn top(
    State(state): State<AppState>,
    tenant: Option<Tenant>,
    Path(file): Path<String>,
    uri: axum::http::Uri,
) -> Response {
    let Some((name, format)) = Format::split(&file) else {
        return Open311Error::not_found("unknown format; use .json or .xml").respond(Format::Json);
    };
    let params = query_params(uri.query());
    let answer = match name {
        "discovery" => discovery(&state, tenant, &params).await,
        "services" => services(&state, tenant, &params).await,
        "requests" => requests(&state, tenant, &params).await,
        _ => Err(Open311Error::not_found("no such resource")),
    };
    match answer {
        Ok((root, body)) => format.respond(StatusCode::OK, root, &body),
        Err(e) => e.respond(format),
    }
}

type Answer = Result<(&'static str, Node), Open311Error>;

async fn absolute(state: &AppState, community: &Community, path: &str) -> String {
    Tenant { community: community.clone(), base: String::new() }.absolute_url(state, path).await
}

async fn discovery(state: &AppState, tenant: Option<Tenant>, params: &Params) -> Answer {
    let c = community(state, tenant, params).await?;
    let categories = intake::categories(state, &c, false).await.map_err(|e| internal(format!("{e:?}")))?;
    let changeset = categories.iter().map(|x| x.created_at).max().unwrap_or(c.created_at).to_rfc3339();
    let url = absolute(state, &c, "/open311/v2").await;
    let contacts = &c.contacts.0;
    let contact = [contacts.email.as_str(), contacts.phone.as_str(), contacts.address.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let key_service = absolute(state, &c, "/admin/city/clients").await;
    let endpoint = Node::Object(vec![
        ("specification", Node::text(SPECIFICATION)),
        ("url", Node::text(url)),
        ("changeset", Node::text(changeset.clone())),
        ("type", Node::text("production")),
        ("formats", Node::List("format", vec![Node::text("text/xml"), Node::text("application/json")])),
    ]);
    Ok((
        "discovery",
        Node::Object(vec![
            ("changeset", Node::text(changeset)),
            ("contact", Node::text(contact)),
            ("key_service", Node::text(key_service)),
            ("endpoints", Node::List("endpoint", vec![endpoint])),
        ]),
    ))
}

fn service(c: &Category) -> Node {
    Node::Object(vec![
        ("service_code", Node::text(c.code.clone())),
        ("service_name", Node::text(c.name(Lang::Uk))),
        ("description", Node::text(c.description_uk.clone())),
        ("metadata", Node::Bool(!c.questions.0.is_empty())),
        ("type", Node::text("realtime")),
        ("keywords", Node::text(c.name_en.clone().unwrap_or_default())),
        ("group", Node::text("")),
    ])
}

async fn services(state: &AppState, tenant: Option<Tenant>, params: &Params) -> Answer {
    let c = community(state, tenant, params).await?;
    let categories = intake::categories(state, &c, true).await.map_err(|e| internal(format!("{e:?}")))?;
    Ok(("services", Node::List("service", categories.iter().map(service).collect())))
}

async fn service_definition(
    State(state): State<AppState>,
    tenant: Option<Tenant>,
    Path(file): Path<String>,
    uri: axum::http::Uri,
) -> Response {
    let Some((code, format)) = Format::split(&file) else {
        return Open311Error::not_found("unknown format; use .json or .xml").respond(Format::Json);
    };
    let params = query_params(uri.query());
    let answer: Answer = async {
        let c = community(&state, tenant, &params).await?;
        let category = store::category_by_code(&state.db, c.id, code)
            .await
            .map_err(internal)?
            .filter(|x| x.active)
            .ok_or_else(|| Open311Error::not_found("service_code not found"))?;
        let attributes = category
            .questions
            .0
            .iter()
            .enumerate()
            .map(|(i, q)| {
                Node::Object(vec![
                    ("variable", Node::Bool(true)),
                    ("code", Node::text(q.code.clone())),
                    ("datatype", Node::text(q.datatype.clone())),
                    ("required", Node::Bool(q.required)),
                    ("datatype_description", Node::text("")),
                    ("order", Node::Int(i as i64 + 1)),
                    ("description", Node::text(q.label_uk.clone())),
                    ("values", Node::List("value", vec![])),
                ])
            })
            .collect();
        Ok((
            "service_definition",
            Node::Object(vec![
                ("service_code", Node::text(category.code.clone())),
                ("attributes", Node::List("attribute", attributes)),
            ]),
        ))
    }
    .await;
    match answer {
        Ok((root, body)) => format.respond(StatusCode::OK, root, &body),
        Err(e) => e.respond(format),
    }
}

/// `POST requests.{format}`, form-encoded, with the client's `api_key`.
async fn post_request(
    State(state): State<AppState>,
    tenant: Option<Tenant>,
    Path(file): Path<String>,
    body: Bytes,
) -> Response {
    let Some(("requests", format)) = Format::split(&file) else {
        return Open311Error::not_found("no such resource").respond(Format::split(&file).map_or(Format::Json, |f| f.1));
    };
    let params: Params = match serde_urlencoded::from_bytes(&body) {
        Ok(p) => p,
        Err(_) => {
            return Open311Error::bad_request("the body must be application/x-www-form-urlencoded").respond(format);
        }
    };
    match file_request(&state, tenant, &params).await {
        Ok(body) => format.respond(StatusCode::OK, "service_requests", &body),
        Err(e) => e.respond(format),
    }
}

async fn file_request(state: &AppState, tenant: Option<Tenant>, params: &Params) -> Result<Node, Open311Error> {
    let c = community(state, tenant, params).await?;
    let key = param(params, "api_key").ok_or_else(|| Open311Error::new(StatusCode::FORBIDDEN, "api_key required"))?;
    let client = store::client_by_key(&state.db, c.id, &hromada_city::client_key_hash(key))
        .await
        .map_err(internal)?
        .ok_or_else(|| Open311Error::new(StatusCode::FORBIDDEN, "invalid api_key"))?;
    if !state.limiter.hit(&format!("open311:{}", client.id), 120, std::time::Duration::from_secs(60)) {
        return Err(Open311Error::new(StatusCode::TOO_MANY_REQUESTS, "too many requests"));
    }
    let code = param(params, "service_code").ok_or_else(|| Open311Error::bad_request("service_code required"))?;
    let category = store::category_by_code(&state.db, c.id, code)
        .await
        .map_err(internal)?
        .filter(|x| x.active)
        .ok_or_else(|| Open311Error::not_found("service_code not found"))?;
    let lat = param(params, "lat").unwrap_or("");
    let lon = param(params, "long").unwrap_or("");
    let address = param(params, "address_string").or(param(params, "address_id")).unwrap_or("");
    let location = domain::location(lat, lon, None, address).map_err(|key| {
        Open311Error::bad_request(match key {
            "city-invalid-point" => "lat and long must be WGS84 decimal degrees, both given",
            _ => "a location is required: lat and long, or address_string",
        })
    })?;
    let answers: BTreeMap<String, String> = params
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("attribute[")?.strip_suffix(']')?.to_owned(), v.clone())))
        .collect();
    let description = param(params, "description").unwrap_or("");
    let answers = intake::check(&category, description, &answers).map_err(|problems| {
        let fields: Vec<String> = problems
            .iter()
            .map(|(field, _)| match field.strip_prefix("answer_") {
                Some(code) => format!("attribute[{code}]"),
                None => field.clone(),
            })
            .collect();
        Open311Error::bad_request(format!(
            "invalid or missing: {} (description: 10 to 5000 characters)",
            fields.join(", ")
        ))
    })?;
    let name =
        [param(params, "first_name"), param(params, "last_name")].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let name = if name.is_empty() { client.name.clone() } else { name };
    let email = param(params, "email").filter(|e| e.contains('@') && e.len() <= 254);
    let token = uuid::Uuid::now_v7().simple().to_string();
    let author = Author { id: None, name: &name, email };
    let source = Source::Open311 { client: client.id, token: &token };
    intake::file(state, &c, &category, author, description, &location, answers, source)
        .await
        .map_err(|e| internal(format!("{e:?}")))?;
    let notice = "Повідомлення буде опубліковано після перевірки модератором. / Published after moderation.";
    Ok(Node::List(
        "request",
        vec![Node::Object(vec![
            ("token", Node::text(token)),
            ("service_notice", Node::text(notice)),
            ("account_id", Node::Null),
        ])],
    ))
}

/// Parses a w3c date-time (`2010-01-01T00:00:00Z`, an offset, or a bare date).
fn datetime(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?.and_hms_opt(0, 0, 0).map(|t| t.and_utc()))
}

async fn requests(state: &AppState, tenant: Option<Tenant>, params: &Params) -> Answer {
    let c = community(state, tenant, params).await?;
    let mut filter = store::Filter::default();
    if let Some(ids) = param(params, "service_request_id") {
        // With ids given, the other filters do not apply (the spec says so).
        filter.numbers = ids
            .split(',')
            .map(|id| id.trim().parse::<i64>().map_err(|_| Open311Error::bad_request("service_request_id: numbers")))
            .collect::<Result<_, _>>()?;
    } else {
        let categories = intake::categories(state, &c, false).await.map_err(|e| internal(format!("{e:?}")))?;
        if let Some(codes) = param(params, "service_code") {
            for code in codes.split(',').map(str::trim) {
                let found = categories.iter().find(|x| x.code == code);
                filter.categories.push(found.ok_or_else(|| Open311Error::not_found("service_code not found"))?.id);
            }
        }
        if let Some(statuses) = param(params, "status") {
            for s in statuses.split(',').map(str::trim) {
                match s {
                    "open" => filter.statuses.extend([Status::New, Status::Accepted, Status::InProgress]),
                    "closed" => filter.statuses.extend([Status::Solved, Status::Rejected, Status::Merged]),
                    _ => return Err(Open311Error::bad_request("status: open or closed")),
                }
            }
        }
        let parse = |name: &str| -> Result<Option<DateTime<Utc>>, Open311Error> {
            param(params, name)
                .map(|t| datetime(t).ok_or_else(|| Open311Error::bad_request(format!("{name}: w3c date-time"))))
                .transpose()
        };
        let (start, end) = (parse("start_date")?, parse("end_date")?);
        let until = end.unwrap_or_else(|| state.now());
        filter.until = end;
        filter.since = Some(start.unwrap_or(until - Duration::days(DEFAULT_DAYS)));
    }
    let rows = store::list(&state.db, c.id, &filter, MAX_REQUESTS, 0).await.map_err(internal)?;
    let mut items = vec![];
    let context = RequestContext::load(state, &c).await?;
    for r in &rows {
        items.push(context.request(state, r).await?);
    }
    Ok(("service_requests", Node::List("request", items)))
}

/// What every request of a list shares: the names of categories and departments.
struct RequestContext {
    community: Community,
    categories: Vec<Category>,
    departments: Vec<departments::Department>,
}

impl RequestContext {
    async fn load(state: &AppState, c: &Community) -> Result<Self, Open311Error> {
        Ok(Self {
            community: c.clone(),
            categories: store::categories(&state.db, c.id, false).await.map_err(internal)?,
            departments: departments::list(&state.db, c.id).await.map_err(internal)?,
        })
    }

    async fn request(&self, state: &AppState, r: &Report) -> Result<Node, Open311Error> {
        let c = &self.community;
        let category = self.categories.iter().find(|x| x.id == r.category_id);
        let agency = r
            .department_id
            .and_then(|d| self.departments.iter().find(|x| x.id == d))
            .map(|d| d.name_uk.clone())
            .unwrap_or_else(|| c.name(Lang::Uk).to_owned());
        let photo = hromada_media::store::list_for(&state.db, c.id, hromada_city::KEY, &r.id.to_string())
            .await
            .map_err(internal)?
            .into_iter()
            .find(|f| f.public);
        let media_url = match photo {
            Some(f) => Some(absolute(state, c, &f.path(hromada_media::Variant::Display)).await),
            None => None,
        };
        let notes = store::latest_note(&state.db, c.id, r.id).await.map_err(internal)?;
        let point = r.point();
        let status = r.status();
        Ok(Node::Object(vec![
            ("service_request_id", Node::text(r.number.to_string())),
            ("status", Node::text(if status.is_open() { "open" } else { "closed" })),
            ("status_notes", Node::opt_text(notes.or(r.rejection_reason.clone()))),
            ("service_name", Node::text(category.map(|x| x.name(Lang::Uk)).unwrap_or(""))),
            ("service_code", Node::text(category.map(|x| x.code.as_str()).unwrap_or(""))),
            ("description", Node::text(r.description.clone())),
            ("agency_responsible", Node::text(agency)),
            ("service_notice", Node::text(state.i18n.t(Lang::Uk, &format!("city-status-{}", r.status)))),
            ("requested_datetime", Node::text(r.created_at.to_rfc3339())),
            ("updated_datetime", Node::text(r.updated_at.to_rfc3339())),
            ("expected_datetime", Node::Null),
            ("address", Node::text(r.address.clone())),
            ("address_id", Node::Null),
            ("zipcode", Node::Null),
            ("lat", point.map_or(Node::Null, |p: GeoPoint| Node::Number(p.lat))),
            ("long", point.map_or(Node::Null, |p: GeoPoint| Node::Number(p.lon))),
            ("media_url", Node::opt_text(media_url)),
        ]))
    }
}

async fn one_request(
    State(state): State<AppState>,
    tenant: Option<Tenant>,
    Path(file): Path<String>,
    uri: axum::http::Uri,
) -> Response {
    let Some((id, format)) = Format::split(&file) else {
        return Open311Error::not_found("unknown format; use .json or .xml").respond(Format::Json);
    };
    let params = query_params(uri.query());
    let answer: Answer = async {
        let c = community(&state, tenant, &params).await?;
        let not_found = || Open311Error::not_found("service_request_id not found");
        let number = id.parse::<i64>().map_err(|_| not_found())?;
        let r = store::by_number(&state.db, c.id, number)
            .await
            .map_err(internal)?
            .filter(|r| r.public())
            .ok_or_else(not_found)?;
        let context = RequestContext::load(&state, &c).await?;
        Ok(("service_requests", Node::List("request", vec![context.request(&state, &r).await?])))
    }
    .await;
    match answer {
        Ok((root, body)) => format.respond(StatusCode::OK, root, &body),
        Err(e) => e.respond(format),
    }
}

async fn token(
    State(state): State<AppState>,
    tenant: Option<Tenant>,
    Path(file): Path<String>,
    uri: axum::http::Uri,
) -> Response {
    let Some((token, format)) = Format::split(&file) else {
        return Open311Error::not_found("unknown format; use .json or .xml").respond(Format::Json);
    };
    let params = query_params(uri.query());
    let answer: Answer = async {
        let c = community(&state, tenant, &params).await?;
        let r = store::by_token(&state.db, c.id, token)
            .await
            .map_err(internal)?
            .ok_or_else(|| Open311Error::not_found("token not found"))?;
        // The id exists for the client once the report is public.
        let id = r.public().then(|| r.number.to_string());
        Ok((
            "service_requests",
            Node::List(
                "request",
                vec![Node::Object(vec![("service_request_id", Node::opt_text(id)), ("token", Node::text(token))])],
            ),
        ))
    }
    .await;
    match answer {
        Ok((root, body)) => format.respond(StatusCode::OK, root, &body),
        Err(e) => e.respond(format),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_w3c_date_times_or_plain_dates() {
        let t = super::datetime("2026-03-01T10:00:00+02:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-01T08:00:00+00:00");
        assert_eq!(super::datetime("2026-03-01").unwrap().to_rfc3339(), "2026-03-01T00:00:00+00:00");
        assert!(super::datetime("yesterday").is_none());
    }
}
