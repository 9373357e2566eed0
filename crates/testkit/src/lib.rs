//! Test harness: the real application on a free port with a fresh database, a cookie-keeping
//! client that behaves like a browser, factories, and local fakes of outside services
//! (an SMTP sink and the e-ID provider) that speak the real wire formats.

pub mod browser;
pub mod fakes;

pub use browser::{Browser, Reply};

use hromada_db::core::communities::{self, Community, Contacts, NewCommunity};
use hromada_db::core::users::{self, NewUser, User};
use hromada_db::core::{operators, roles, settlements};
use hromada_db::testing::TestDb;
use hromada_db::{Backend, Db};
use hromada_kernel::{Clock, Role, SystemClock};
use hromada_web::{AppState, WebConfig};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// The password of every account the factories make.
pub const PASSWORD: &str = "correct horse battery";

/// How to start the app.
#[derive(Clone, Default)]
pub struct Options {
    pub backend: Option<Backend>,
    pub eid_base_url: Option<String>,
    pub demo: bool,
    pub body_limit: Option<usize>,
    pub clock: Option<Arc<dyn Clock>>,
    /// Behind a trusted reverse proxy: client addresses come from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// Serve this existing, migrated database (another app's [`TestApp::database_url`]) instead
    /// of a fresh one, as a second app node would; `backend` is then ignored and the database
    /// stays with the app that made it (keep that one alive longer).
    pub database_url: Option<String>,
}

/// The running application and its database.
pub struct TestApp {
    pub addr: SocketAddr,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub db: Db,
    pub state: AppState,
    pub backend: &'static str,
    /// Where the database is, for attaching another app node to it.
    pub database_url: String,
    _test_db: Option<TestDb>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The app on SQLite.
pub async fn spawn_app() -> TestApp {
    spawn_with(Options::default()).await.expect("SQLite is always available")
}

/// The app on every configured backend: SQLite, and PostgreSQL when `HROMADA_TEST_POSTGRES_URL` is set.
pub async fn spawn_apps() -> Vec<TestApp> {
    spawn_apps_with(Options::default()).await
}

pub async fn spawn_apps_with(options: Options) -> Vec<TestApp> {
    let mut apps = vec![];
    for backend in [Backend::Sqlite, Backend::Postgres] {
        if let Some(app) = spawn_with(Options { backend: Some(backend), ..options.clone() }).await {
            apps.push(app);
        }
    }
    apps
}

/// Starts the app; `None` when the backend asked for is not configured.
pub async fn spawn_with(options: Options) -> Option<TestApp> {
    let modules = hromada_app::modules();
    let migrations = hromada_app::all_migrations(&modules);
    let (db, database_url, test_db) = match &options.database_url {
        Some(url) => (Db::connect(url).await.expect("connect to the shared database"), url.clone(), None),
        None => {
            let test_db = match options.backend.unwrap_or(Backend::Sqlite) {
                Backend::Sqlite => TestDb::sqlite(&migrations).await,
                Backend::Postgres => TestDb::postgres(&migrations).await?,
            };
            (test_db.db.clone(), test_db.url.clone(), Some(test_db))
        }
    };
    let backend = match db.backend() {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a free port");
    let addr = listener.local_addr().expect("local address");
    let base = format!("http://{addr}");
    let mut config = WebConfig::for_tests(b"test installation secret, at least 32 bytes long");
    config.demo = options.demo;
    config.public_url = base.clone();
    config.eid.base_url = options.eid_base_url.clone();
    config.eid.client_id = fakes::EID_CLIENT_ID.into();
    config.eid.client_secret = fakes::EID_CLIENT_SECRET.into();
    config.trust_proxy = options.trust_proxy;
    if let Some(limit) = options.body_limit {
        config.body_limit = limit;
    }
    let clock = options.clock.clone().unwrap_or_else(|| Arc::new(SystemClock));
    let app = hromada_app::build(db.clone(), config, clock, modules).expect("build the app");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let router = app.router.clone();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    Some(TestApp { addr, base, db, state: app.state, backend, database_url, _test_db: test_db, shutdown: Some(tx) })
}

async fn password_hash() -> String {
    static HASH: OnceCell<String> = OnceCell::const_new();
    HASH.get_or_init(|| async { hromada_web::auth::hash_password(PASSWORD.to_owned()).await.expect("hash") })
        .await
        .clone()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.state.now()
    }

    /// A browser-like client (keeps cookies, does not follow redirects).
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// A community reached at `/c/{slug}/`, with two settlements.
    pub async fn community(&self, slug: &str) -> Community {
        let c = communities::create(
            &self.db,
            NewCommunity {
                slug: slug.into(),
                name_uk: format!("Громада {slug}"),
                name_en: Some(format!("Community {slug}")),
                coat_of_arms: None,
                contacts: Contacts { address: "вул. Тестова, 1".into(), ..Default::default() },
            },
            self.now(),
        )
        .await
        .expect("create community");
        settlements::create(&self.db, c.id, "Місто", Some("Town"), "city", None).await.expect("settlement");
        settlements::create(&self.db, c.id, "Село", Some("Village"), "village", Some("Сільський округ"))
            .await
            .expect("settlement");
        c
    }

    /// A confirmed account with the given roles and the password [`PASSWORD`].
    pub async fn user(&self, community: &Community, email: &str, with_roles: &[Role]) -> User {
        let new = NewUser {
            email: Some(email.into()),
            password_hash: Some(password_hash().await),
            full_name: format!("Тестовий {}", email.split('@').next().unwrap_or(email)),
            lang: "uk".into(),
            ..Default::default()
        };
        let user = users::create(&self.db, community.id, new, self.now()).await.expect("create user");
        users::confirm_email(&self.db, community.id, user.id, self.now()).await.expect("confirm");
        for role in with_roles {
            roles::grant(&self.db, community.id, user.id, *role, self.now()).await.expect("grant");
        }
        users::by_id(&self.db, community.id, user.id).await.expect("read").expect("exists")
    }

    pub async fn operator(&self, email: &str) {
        operators::create(&self.db, email, "Оператор", &password_hash().await, self.now())
            .await
            .expect("create operator");
    }

    /// A browser signed in to `community` as `email`.
    pub async fn signed_in(&self, community: &Community, email: &str) -> Browser {
        let browser = self.browser();
        let reply = browser.login(&community.slug, email, PASSWORD).await;
        assert_eq!(reply.status, 303, "[{}] sign-in of {email} failed: {}", self.backend, reply.body);
        browser
    }
}
