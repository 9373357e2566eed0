use crate::{PDF, SECRET, community, each, jpeg, state, t0};
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{DefaultBodyLimit, Multipart, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::routing::post;
use hromada_db::core::communities::Community;
use hromada_media::store::{self, NewFile};
use hromada_media::{Accept, Limits, Upload, UploadLimits};
use hromada_web::{AppResult, AppState, Tenant};
use serde::Deserialize;
use serde_json::{Value, json};
use tower::ServiceExt;

const COOKIE: &str = "0123456789abcdef0123456789abcdef";

#[derive(Deserialize)]
struct PetitionForm {
    #[serde(default)]
    title: String,
}

/// A petition form with photos and documents, as a module's handler would take it.
fn app(state: &AppState, community: &Community, limits: UploadLimits) -> Router {
    let tenant = Tenant { community: community.clone(), base: String::new() };
    let submit = move |State(state): State<AppState>, tenant: Tenant, multipart: Multipart| async move {
        let mut upload = Upload::read(multipart, &limits).await;
        let form: PetitionForm = upload.form()?;
        let images = upload.process("images", Accept::Images, &Limits::default()).await;
        let documents = upload.process("documents", Accept::Documents, &Limits::default()).await;
        let mut saved = vec![];
        if upload.errors.is_empty() {
            let new =
                NewFile { owner: "petitions", object_id: Some("3"), purpose: "image", public: true, created_by: None };
            for file in images.iter().chain(&documents) {
                let f = store::save(&state.db, tenant.community.id, file, &new, t0()).await?;
                saved.push(json!({ "file_name": f.file_name, "alt": f.alt_text, "kind": f.kind }));
            }
        }
        AppResult::Ok(axum::Json(
            json!({ "title": form.title, "subtitle": upload.text("title"), "saved": saved, "errors": upload.errors }),
        ))
    };
    Router::new()
        .route("/petitions/new", post(submit))
        .layer(from_fn_with_state(state.clone(), hromada_web::csrf::protect))
        .layer(from_fn(move |mut req: Request, next: Next| {
            req.extensions_mut().insert(tenant.clone());
            next.run(req)
        }))
        .with_state(state.clone())
}

/// A `multipart/form-data` body as a browser writes it.
#[derive(Default)]
struct Form {
    body: Vec<u8>,
}

const BOUNDARY: &str = "----HromadaTestBoundary7MA4YWxkTrZu0gW";

impl Form {
    fn text(mut self, name: &str, value: &str) -> Self {
        let head = format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n");
        self.body.extend(head.as_bytes());
        self.body.extend(value.as_bytes());
        self.body.extend(b"\r\n");
        self
    }

    fn file(mut self, name: &str, file_name: &str, content_type: &str, data: &[u8]) -> Self {
        let head = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
             Content-Type: {content_type}\r\n\r\n"
        );
        self.body.extend(head.as_bytes());
        self.body.extend(data);
        self.body.extend(b"\r\n");
        self
    }

    fn csrf(self) -> Self {
        let token = hromada_web::csrf::token_for(SECRET, COOKIE);
        self.text("_csrf", &token)
    }

    async fn post(mut self, app: &Router, path: &str) -> (StatusCode, Value) {
        self.body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .header(header::COOKIE, format!("{}={COOKIE}", hromada_web::cookies::CSRF))
            .body(Body::from(self.body))
            .unwrap();
        let response = app.clone().oneshot(req).await.unwrap();
        let status = response.status();
        let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn a_form_with_files_and_its_token_anywhere_is_accepted() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let app = app(&state(&t.db), &c, UploadLimits::default());
        let (status, body) = Form::default()
            .text("title", "Лавки у сквері")
            .file("images", "C:\\photos\\сквер.jpg", "image/jpeg", &jpeg(64, 48))
            .text("images_alt", "Сквер біля школи")
            .file("images", "two.webp", "image/webp", &jpeg(32, 32))
            .file("documents", "", "application/octet-stream", b"")
            .file("documents", "план.pdf", "image/png", PDF)
            // Browsers send fields in page order: the token may come after the files.
            .csrf()
            .post(&app, "/petitions/new")
            .await;
        assert_eq!(status, StatusCode::OK, "{b}: {body}");
        assert_eq!(body["title"], "Лавки у сквері", "{b}");
        assert_eq!(body["subtitle"], "Лавки у сквері", "{b}");
        assert_eq!(body["errors"], json!({}), "{b}");
        assert_eq!(
            body["saved"],
            json!([
                { "file_name": "сквер.jpg", "alt": "Сквер біля школи", "kind": "image" },
                { "file_name": "two.jpg", "alt": null, "kind": "image" },
                { "file_name": "план.pdf", "alt": null, "kind": "document" },
            ]),
            "{b}"
        );
        assert_eq!(store::list_for(&t.db, c.id, "petitions", "3").await.unwrap().len(), 3, "{b}");
    }
}

#[tokio::test]
async fn a_multipart_form_without_its_token_is_refused() {
    let t = crate::sqlite().await;
    let c = community(&t.db, "bucha").await;
    let app = app(&state(&t.db), &c, UploadLimits::default());
    let photo = jpeg(8, 8);
    let (status, _) = Form::default().file("images", "a.jpg", "image/jpeg", &photo).post(&app, "/petitions/new").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = Form::default()
        .text("_csrf", &hromada_web::csrf::token_for(SECRET, "another browser's cookie, 32+ chars"))
        .file("images", "a.jpg", "image/jpeg", &photo)
        .post(&app, "/petitions/new")
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The token in the form's action works as well.
    let token = hromada_web::csrf::token_for(SECRET, COOKIE);
    let (status, _) = Form::default()
        .file("images", "a.jpg", "image/jpeg", &photo)
        .post(&app, &format!("/petitions/new?_csrf={token}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(store::list_for(&t.db, c.id, "petitions", "3").await.unwrap().len() == 1);
}

#[tokio::test]
async fn problems_become_field_errors_and_the_text_survives() {
    let t = crate::sqlite().await;
    let c = community(&t.db, "bucha").await;
    let photo = jpeg(8, 8);
    let limits = UploadLimits {
        max_file_bytes: photo.len(),
        max_total_bytes: photo.len() * 2,
        max_files: 3,
        max_text_bytes: 50,
    };
    let app = app(&state(&t.db), &c, limits);
    let mut big = jpeg(8, 8);
    big.push(0);
    let (status, body) = Form::default()
        .csrf()
        .file("images", "big.jpg", "image/jpeg", &big)
        .file("images", "page.html", "image/jpeg", b"<script>alert(1)</script>")
        .file("documents", "photo.pdf", "application/pdf", &photo)
        .text("title", "Заголовок")
        .text("body", "довгий текст, довший за п'ятдесят байтів, тобто за двадцять п'ять літер")
        .post(&app, "/petitions/new")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["title"], "Заголовок");
    assert_eq!(
        body["errors"],
        json!({
            "images": ["media-error-too-large", "media-error-not-image"],
            "documents": ["media-error-not-document"],
            "body": ["media-error-field-too-long"],
        })
    );
    assert_eq!(body["saved"], json!([]));

    let (_, body) = Form::default()
        .csrf()
        .file("images", "1.jpg", "image/jpeg", &photo)
        .file("images", "2.jpg", "image/jpeg", &photo)
        .file("images", "3.jpg", "image/jpeg", &photo)
        .post(&app, "/petitions/new")
        .await;
    assert_eq!(body["errors"], json!({ "images": ["media-error-total-too-large"] }));
    let mut form = Form::default().csrf();
    for name in ["a.pdf", "b.pdf", "c.pdf", "d.pdf"] {
        form = form.file("documents", name, "application/pdf", PDF);
    }
    let (_, body) = form.post(&app, "/petitions/new").await;
    assert_eq!(body["errors"], json!({ "documents": ["media-error-too-many-files"] }));
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_field_error() {
    let t = crate::sqlite().await;
    let c = community(&t.db, "bucha").await;
    let app = app(&state(&t.db), &c, UploadLimits::default()).layer(DefaultBodyLimit::max(2048));
    let (status, body) = Form::default()
        .csrf()
        .text("title", "Заголовок")
        .file("images", "big.jpg", "image/jpeg", &jpeg(200, 200))
        .post(&app, "/petitions/new")
        .await;
    // The body arrives in frames larger than this limit, so nothing of the form could be read.
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["errors"], json!({ hromada_media::upload::WHOLE_FORM: ["media-error-request-too-large"] }));
}
