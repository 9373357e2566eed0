//! Open311 GeoReport v2 over Open City: every endpoint in JSON and XML against the spec's
//! required fields, errors in the spec's `[{code, description}]` form, and reports filed
//! through it following the web's moderation.

use hromada_city::domain::{Action, Question};
use hromada_city::store;
use hromada_db::core::communities::Community;
use hromada_kernel::Role;
use hromada_testkit::{TestApp, spawn_apps};

/// A community with its categories (one asking a question) and an issued client key.
async fn setup(app: &TestApp, slug: &str) -> (Community, String) {
    let c = app.community(slug).await;
    store::seed_default_categories(&app.db, c.id, app.now()).await.unwrap();
    let pothole = store::category_by_code(&app.db, c.id, "pothole").await.unwrap().unwrap();
    let question = Question {
        code: "depth".into(),
        label_uk: "Глибина, см".into(),
        label_en: None,
        required: true,
        datatype: "number".into(),
    };
    let fields = store::CategoryFields {
        code: "pothole",
        name_uk: &pothole.name_uk,
        name_en: pothole.name_en.as_deref(),
        description_uk: &pothole.description_uk,
        department_id: None,
        questions: vec![question],
        active: true,
    };
    store::update_category(&app.db, c.id, pothole.id, &fields).await.unwrap();
    app.user(&c, &format!("admin@{slug}.test"), &[Role::Admin]).await;
    let admin = app.signed_in(&c, &format!("admin@{slug}.test")).await;
    let page = format!("/c/{slug}/admin/city/clients");
    let issued = admin.submit(&page, &page, &[("name", "Мобільний застосунок")]).await;
    assert_eq!(issued.status, 200, "[{}] {}", app.backend, issued.text());
    let at = issued.body.find("<code id=\"issued-key\">").expect("the key is shown once") + 22;
    let key = issued.body[at..at + issued.body[at..].find('<').unwrap()].to_owned();
    assert!(key.len() >= 32);
    (c, key)
}

fn xml_has(body: &str, elements: &[&str]) -> bool {
    elements.iter().all(|e| body.contains(&format!("<{e}>")) || body.contains(&format!("<{e}/>")))
}

async fn post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> hromada_testkit::Reply {
    let response = app.browser().client().post(app.url(path)).form(fields).send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    hromada_testkit::Reply { status, headers, body: response.text().await.unwrap() }
}

#[tokio::test]
async fn discovery_services_and_definitions_in_json_and_xml() {
    for app in spawn_apps().await {
        let name = app.backend;
        let (_, _) = setup(&app, "o3").await;
        let b = app.browser();
        let d = b.get("/c/o3/open311/v2/discovery.json").await;
        assert_eq!(d.status, 200, "[{name}]");
        assert!(d.header("content-type").unwrap().starts_with("application/json"));
        let d = d.json();
        for field in ["changeset", "contact", "key_service", "endpoints"] {
            assert!(d.get(field).is_some(), "[{name}] discovery.{field}");
        }
        let endpoint = &d["endpoints"][0];
        assert_eq!(endpoint["specification"], "http://wiki.open311.org/GeoReport_v2");
        assert!(endpoint["url"].as_str().unwrap().ends_with("/c/o3/open311/v2"), "[{name}] {endpoint}");
        assert_eq!(endpoint["formats"], serde_json::json!(["text/xml", "application/json"]));
        let x = b.get("/c/o3/open311/v2/discovery.xml").await;
        assert!(x.header("content-type").unwrap().starts_with("text/xml"));
        assert!(x.body.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(xml_has(
            &x.body,
            &["discovery", "changeset", "endpoints", "endpoint", "specification", "formats", "format"]
        ));

        let s = b.get("/c/o3/open311/v2/services.json").await.json();
        let services = s.as_array().unwrap();
        assert_eq!(services.len(), 8, "[{name}] the default categories");
        let pothole = services.iter().find(|s| s["service_code"] == "pothole").unwrap();
        for field in ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"] {
            assert!(pothole.get(field).is_some(), "[{name}] service.{field}");
        }
        assert_eq!(pothole["metadata"], true, "it asks a question");
        assert_eq!(pothole["type"], "realtime");
        let x = b.get("/c/o3/open311/v2/services.xml").await.body;
        assert!(xml_has(&x, &["services", "service", "service_code", "service_name", "metadata", "type"]));
        assert_eq!(x.matches("<service>").count(), 8);

        let def = b.get("/c/o3/open311/v2/services/pothole.json").await.json();
        assert_eq!(def["service_code"], "pothole");
        let attr = &def["attributes"][0];
        for field in ["variable", "code", "datatype", "required", "datatype_description", "order", "description"] {
            assert!(attr.get(field).is_some(), "[{name}] attribute.{field}");
        }
        assert_eq!(
            (attr["code"].as_str(), attr["datatype"].as_str(), attr["required"].as_bool()),
            (Some("depth"), Some("number"), Some(true))
        );
        let x = b.get("/c/o3/open311/v2/services/pothole.xml").await.body;
        assert!(xml_has(
            &x,
            &["service_definition", "service_code", "attributes", "attribute", "variable", "datatype"]
        ));
        let plain = b.get("/c/o3/open311/v2/services/waste.json").await.json();
        assert_eq!(plain["attributes"], serde_json::json!([]), "[{name}] a category without questions");

        let missing = b.get("/c/o3/open311/v2/services/nothing.json").await;
        assert_eq!(missing.status, 404);
        assert_eq!(missing.json()[0]["code"], 404, "[{name}] {}", missing.body);
        assert!(missing.json()[0]["description"].is_string());
        let missing = b.get("/c/o3/open311/v2/services/nothing.xml").await;
        assert_eq!(missing.status, 404);
        assert!(
            missing.header("content-type").unwrap().starts_with("text/xml"),
            "[{name}] the error in the asked format"
        );
        assert!(
            xml_has(&missing.body, &["errors", "error", "code", "description"])
                && missing.body.contains("<code>404</code>")
        );
        assert_eq!(b.get("/c/o3/open311/v2/services.csv").await.status, 404);
        // The community by jurisdiction_id on the platform's own host; a wrong one is not found.
        let by_id = b.get("/open311/v2/services.json?jurisdiction_id=o3").await;
        assert_eq!(by_id.status, 200, "[{name}] {}", by_id.body);
        assert_eq!(by_id.json().as_array().unwrap().len(), 8);
        assert_eq!(b.get("/c/o3/open311/v2/services.json?jurisdiction_id=elsewhere").await.status, 404);
        let none = b.get("/open311/v2/services.json").await;
        assert_eq!((none.status.as_u16(), none.json()[0]["code"].as_i64()), (400, Some(400)));
    }
}

#[tokio::test]
async fn a_request_is_posted_moderated_and_then_found_by_token_id_and_filters() {
    for app in spawn_apps().await {
        let name = app.backend;
        let (c, key) = setup(&app, "req").await;
        let path = "/c/req/open311/v2/requests.json";
        let good = [
            ("api_key", key.as_str()),
            ("service_code", "pothole"),
            ("lat", "50.4501"),
            ("long", "30.5234"),
            ("description", "Глибока яма на зупинці, вода стоїть"),
            ("attribute[depth]", "15"),
            ("email", "citizen@example.org"),
            ("first_name", "Олена"),
            ("last_name", "Коваль"),
        ];
        let without = |skip: &str| good.iter().filter(|(k, _)| *k != skip).cloned().collect::<Vec<_>>();
        let r = post(&app, path, &without("api_key")).await;
        assert_eq!((r.status.as_u16(), r.json()[0]["code"].as_i64()), (403, Some(403)), "[{name}] {}", r.body);
        let mut wrong = without("api_key");
        wrong.push(("api_key", "not-a-key"));
        assert_eq!(post(&app, path, &wrong).await.status, 403);
        assert_eq!(post(&app, path, &without("service_code")).await.status, 400);
        let mut unknown = without("service_code");
        unknown.push(("service_code", "nothing"));
        assert_eq!(post(&app, path, &unknown).await.status, 404);
        let nowhere: Vec<_> = good.iter().filter(|(k, _)| *k != "lat" && *k != "long").cloned().collect();
        let r = post(&app, path, &nowhere).await;
        assert_eq!(r.status, 400, "[{name}]");
        assert!(r.json()[0]["description"].as_str().unwrap().contains("location"));
        let r = post(&app, path, &without("attribute[depth]")).await;
        assert!(r.json()[0]["description"].as_str().unwrap().contains("attribute[depth]"), "[{name}] {}", r.body);
        let xml_error = post(&app, "/c/req/open311/v2/requests.xml", &without("api_key")).await;
        assert!(xml_error.body.contains("<errors><error><code>403</code>"), "[{name}] {}", xml_error.body);

        let created = post(&app, path, &good).await;
        assert_eq!(created.status, 200, "[{name}] {}", created.body);
        let answer = created.json();
        let token = answer[0]["token"].as_str().unwrap().to_owned();
        assert!(answer[0].get("service_notice").is_some() && answer[0].get("account_id").is_some());
        assert!(answer[0].get("service_request_id").is_none(), "[{name}] not before moderation");
        let by_address = post(
            &app,
            "/c/req/open311/v2/requests.xml",
            &[
                ("api_key", key.as_str()),
                ("service_code", "waste"),
                ("address_string", "вул. Соборна, 1"),
                ("description", "Переповнені контейнери біля ринку"),
            ],
        )
        .await;
        assert_eq!(by_address.status, 200, "[{name}] {}", by_address.body);
        assert!(xml_has(&by_address.body, &["service_requests", "request", "token", "service_notice"]));

        let b = app.browser();
        let t = b.get(&format!("/c/req/open311/v2/tokens/{token}.json")).await.json();
        assert_eq!(t[0]["token"], token.as_str());
        assert!(t[0]["service_request_id"].is_null(), "[{name}] waiting for moderation");
        assert_eq!(b.get("/c/req/open311/v2/tokens/nope.json").await.status, 404);
        assert!(
            b.get("/c/req/open311/v2/requests.json").await.json().as_array().unwrap().is_empty(),
            "[{name}] unpublished"
        );

        // Through the same moderation as the web's.
        let report = store::by_token(&app.db, c.id, &token).await.unwrap().unwrap();
        assert_eq!((report.source.as_str(), report.author_email.as_deref()), ("open311", Some("citizen@example.org")));
        assert_eq!(report.author_name, "Олена Коваль");
        let moderator = store::Actor { id: None, name: "Модератор" };
        store::step(&app.db, c.id, report.id, Action::Publish, &moderator, "", app.now()).await.unwrap();
        let t = b.get(&format!("/c/req/open311/v2/tokens/{token}.xml")).await.body;
        assert!(t.contains(&format!("<service_request_id>{}</service_request_id>", report.number)), "[{name}] {t}");
        let id = report.number.to_string();

        let all = b.get("/c/req/open311/v2/requests.json").await.json();
        let all = all.as_array().unwrap();
        assert_eq!(all.len(), 1, "[{name}]");
        let r = &all[0];
        for field in [
            "service_request_id",
            "status",
            "status_notes",
            "service_name",
            "service_code",
            "description",
            "agency_responsible",
            "service_notice",
            "requested_datetime",
            "updated_datetime",
            "expected_datetime",
            "address",
            "address_id",
            "zipcode",
            "lat",
            "long",
            "media_url",
        ] {
            assert!(r.get(field).is_some(), "[{name}] request.{field}");
        }
        assert_eq!(r["service_request_id"], id.as_str(), "ids are strings");
        assert_eq!((r["status"].as_str(), r["service_code"].as_str()), (Some("open"), Some("pothole")));
        assert_eq!(r["lat"].as_f64(), Some(50.4501));
        assert!(!r.to_string().contains("citizen@example.org"), "[{name}] the author's address stays private");
        let one = b.get(&format!("/c/req/open311/v2/requests/{id}.xml")).await;
        assert!(one.header("content-type").unwrap().starts_with("text/xml"));
        assert!(xml_has(
            &one.body,
            &["service_requests", "request", "service_request_id", "status", "requested_datetime", "lat", "long"]
        ));
        assert_eq!(b.get("/c/req/open311/v2/requests/999.json").await.status, 404);
        let unpublished =
            store::by_token(&app.db, c.id, by_address.body.split("<token>").nth(1).unwrap().split('<').next().unwrap())
                .await
                .unwrap()
                .unwrap();
        let hidden = b.get(&format!("/c/req/open311/v2/requests/{}.json", unpublished.number)).await;
        assert_eq!(hidden.status, 404, "[{name}] in moderation");

        let count = |q: &'static str| {
            let b = app.browser();
            let url = app.url(&format!("/c/req/open311/v2/requests.json?{q}"));
            async move {
                b.client()
                    .get(url)
                    .send()
                    .await
                    .unwrap()
                    .json::<serde_json::Value>()
                    .await
                    .unwrap()
                    .as_array()
                    .map(Vec::len)
            }
        };
        assert_eq!(count("status=open").await, Some(1), "[{name}]");
        assert_eq!(count("status=closed").await, Some(0));
        assert_eq!(count("service_code=waste").await, Some(0));
        assert_eq!(count("service_code=pothole,waste").await, Some(1));
        assert_eq!(count("start_date=2100-01-01T00:00:00Z").await, Some(0));
        assert_eq!(count("end_date=2000-01-01").await, Some(0), "[{name}] 90 days before the end date");
        assert_eq!(
            b.get(&format!("/c/req/open311/v2/requests.json?service_request_id={id},999&status=closed"))
                .await
                .json()
                .as_array()
                .unwrap()
                .len(),
            1,
            "[{name}] ids override the other filters"
        );
        let bad = b.get("/c/req/open311/v2/requests.json?start_date=yesterday").await;
        assert_eq!((bad.status.as_u16(), bad.json()[0]["code"].as_i64()), (400, Some(400)));
        assert_eq!(b.get("/c/req/open311/v2/requests.json?status=maybe").await.status, 400);
        assert_eq!(b.get("/c/req/open311/v2/requests.xml?service_code=nothing").await.status, 404);

        // A department's status shows as closed with its note.
        store::step(
            &app.db,
            c.id,
            report.id,
            Action::SetStatus(hromada_city::domain::Status::Solved),
            &moderator,
            "Заасфальтовано",
            app.now(),
        )
        .await
        .unwrap();
        let r = b.get(&format!("/c/req/open311/v2/requests/{id}.json")).await.json();
        assert_eq!(
            (r[0]["status"].as_str(), r[0]["status_notes"].as_str()),
            (Some("closed"), Some("Заасфальтовано")),
            "[{name}]"
        );
    }
}
