use std::path::PathBuf;

/// Settings the web layer needs; the app fills them from flags, environment and the config file.
#[derive(Clone)]
pub struct WebConfig {
    /// The installation's secret: signs CSRF tokens and keys person identifiers. Never printed.
    pub secret: Vec<u8>,
    /// Demo mode: the development mail page and the stub e-ID are open.
    pub demo: bool,
    /// Whether mail is really sent; when not, it is kept and shown at the development mail page.
    pub smtp_configured: bool,
    /// Cookies carry `Secure` (set when the public URL is https).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (behind a reverse proxy only).
    pub trust_proxy: bool,
    /// A folder whose templates override the embedded ones.
    pub theme_dir: Option<PathBuf>,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// The largest `multipart/form-data` body (a form with photos or documents), in bytes.
    pub upload_limit: usize,
    /// How long this node trusts its cached communities and sign-ins; zero turns the caches off.
    pub cache_ttl: std::time::Duration,
    /// Where the installation is reached (`https://hromada.example.org`), for links in mail
    /// to communities without a host of their own.
    pub public_url: String,
    pub eid: EidConfig,
}

impl std::fmt::Debug for WebConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebConfig")
            .field("secret", &"<hidden>")
            .field("demo", &self.demo)
            .field("smtp_configured", &self.smtp_configured)
            .field("secure_cookies", &self.secure_cookies)
            .field("trust_proxy", &self.trust_proxy)
            .field("theme_dir", &self.theme_dir)
            .field("body_limit", &self.body_limit)
            .field("upload_limit", &self.upload_limit)
            .field("cache_ttl", &self.cache_ttl)
            .field("public_url", &self.public_url)
            .field("eid", &self.eid)
            .finish()
    }
}

impl WebConfig {
    pub fn for_tests(secret: &[u8]) -> Self {
        Self {
            secret: secret.to_vec(),
            demo: true,
            smtp_configured: false,
            secure_cookies: false,
            trust_proxy: false,
            theme_dir: None,
            body_limit: 2 * 1024 * 1024,
            upload_limit: 25 * 1024 * 1024,
            cache_ttl: std::time::Duration::from_secs(5),
            public_url: "http://127.0.0.1".into(),
            eid: EidConfig::default(),
        }
    }
}

/// The state e-ID provider (id.gov.ua protocol). With no base URL and demo mode on, the
/// built-in stub provider is used.
#[derive(Clone, Default)]
pub struct EidConfig {
    pub base_url: Option<String>,
    pub client_id: String,
    pub client_secret: String,
    /// Which sign-in methods the provider offers (`dig_sign,bank_id,diia_id`).
    pub auth_type: String,
}

impl std::fmt::Debug for EidConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EidConfig")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<hidden>")
            .field("auth_type", &self.auth_type)
            .finish()
    }
}
