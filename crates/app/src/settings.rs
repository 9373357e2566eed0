//! Settings: command-line flags win over `HROMADA_*` environment variables, which win over the
//! optional TOML file. Secrets are never printed.

use anyhow::Context;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What the config file may hold; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub data_dir: Option<PathBuf>,
    pub bind: Option<String>,
    pub database_url: Option<String>,
    pub public_url: Option<String>,
    pub secret: Option<String>,
    pub theme_dir: Option<PathBuf>,
    pub trust_proxy: Option<bool>,
    pub body_limit: Option<usize>,
    pub upload_limit: Option<usize>,
    /// How long an app node trusts what it cached of communities and sign-ins (seconds; 0 = off).
    pub cache_ttl_secs: Option<u64>,
    #[serde(default)]
    pub smtp: SmtpFile,
    #[serde(default)]
    pub eid: EidFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpFile {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: Option<String>,
    /// `starttls` (default), `tls`, or `none` (for a local relay).
    pub security: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EidFile {
    pub base_url: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub auth_type: Option<String>,
}

/// Values given on the command line or in the environment (clap reads both).
#[derive(Debug, Default, Clone, clap::Args)]
pub struct Overrides {
    /// Folder for the embedded database, the secret key and uploads.
    #[arg(long, env = "HROMADA_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// `postgres://…` to use PostgreSQL; the embedded SQLite in the data folder otherwise.
    #[arg(long, env = "HROMADA_DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// A TOML file with settings.
    #[arg(long, env = "HROMADA_CONFIG", global = true)]
    pub config: Option<PathBuf>,
}

#[derive(Clone)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: String,
    pub security: String,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .field("from", &self.from)
            .field("security", &self.security)
            .finish()
    }
}

/// The settings the program runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub bind: String,
    pub database_url: String,
    pub public_url: Option<String>,
    pub secret: Option<Secret>,
    pub theme_dir: Option<PathBuf>,
    pub trust_proxy: bool,
    pub body_limit: usize,
    pub upload_limit: usize,
    pub cache_ttl: std::time::Duration,
    pub smtp: Option<Smtp>,
    pub eid: hromada_web::EidConfig,
}

#[derive(Clone)]
pub struct Secret(pub Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<hidden>")
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl Settings {
    /// Reads the file (when given), the environment and the flags.
    pub fn load(over: &Overrides, bind_flag: Option<String>, default_bind: &str) -> anyhow::Result<Settings> {
        let file: FileConfig = match &over.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read the config file {}", path.display()))?;
                toml::from_str(&text).with_context(|| format!("the config file {} is not valid", path.display()))?
            }
            None => FileConfig::default(),
        };
        let data_dir = over.data_dir.clone().or(file.data_dir).unwrap_or_else(|| PathBuf::from("hromada-data"));
        let bind = bind_flag.or_else(|| env("HROMADA_BIND")).or(file.bind).unwrap_or_else(|| default_bind.to_owned());
        let database_url = over
            .database_url
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("hromada.sqlite").display()));
        let secret = env("HROMADA_SECRET").or(file.secret).map(|s| Secret(s.into_bytes()));
        let smtp_host = env("HROMADA_SMTP_HOST").or(file.smtp.host);
        let smtp = smtp_host.map(|host| Smtp {
            host,
            port: env("HROMADA_SMTP_PORT").and_then(|p| p.parse().ok()).or(file.smtp.port).unwrap_or(587),
            username: env("HROMADA_SMTP_USERNAME").or(file.smtp.username),
            password: env("HROMADA_SMTP_PASSWORD").or(file.smtp.password),
            from: env("HROMADA_SMTP_FROM").or(file.smtp.from).unwrap_or_else(|| "Hromada <noreply@localhost>".into()),
            security: env("HROMADA_SMTP_SECURITY").or(file.smtp.security).unwrap_or_else(|| "starttls".into()),
        });
        let eid = hromada_web::EidConfig {
            base_url: env("HROMADA_EID_BASE_URL").or(file.eid.base_url),
            client_id: env("HROMADA_EID_CLIENT_ID").or(file.eid.client_id).unwrap_or_default(),
            client_secret: env("HROMADA_EID_CLIENT_SECRET").or(file.eid.client_secret).unwrap_or_default(),
            auth_type: env("HROMADA_EID_AUTH_TYPE")
                .or(file.eid.auth_type)
                .unwrap_or_else(|| "dig_sign,bank_id,diia_id".into()),
        };
        Ok(Settings {
            data_dir,
            bind,
            database_url,
            public_url: env("HROMADA_PUBLIC_URL").or(file.public_url),
            secret,
            theme_dir: env("HROMADA_THEME_DIR").map(PathBuf::from).or(file.theme_dir),
            trust_proxy: env("HROMADA_TRUST_PROXY")
                .map(|v| v == "1" || v == "true")
                .or(file.trust_proxy)
                .unwrap_or(false),
            body_limit: env("HROMADA_BODY_LIMIT")
                .and_then(|v| v.parse().ok())
                .or(file.body_limit)
                .unwrap_or(2 * 1024 * 1024),
            upload_limit: env("HROMADA_UPLOAD_LIMIT")
                .and_then(|v| v.parse().ok())
                .or(file.upload_limit)
                .unwrap_or(25 * 1024 * 1024),
            cache_ttl: std::time::Duration::from_secs(
                env("HROMADA_CACHE_TTL_SECS").and_then(|v| v.parse().ok()).or(file.cache_ttl_secs).unwrap_or(5),
            ),
            smtp,
            eid,
        })
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres://") || self.database_url.starts_with("postgresql://")
    }

    /// The installation secret: configured, or kept in `secret.key` in the data folder
    /// (created on first start). With PostgreSQL it must be configured, so that every app
    /// node shares it.
    pub fn resolve_secret(&self) -> anyhow::Result<Vec<u8>> {
        if let Some(s) = &self.secret {
            anyhow::ensure!(s.0.len() >= 32, "HROMADA_SECRET must be at least 32 characters long");
            return Ok(s.0.clone());
        }
        anyhow::ensure!(
            !self.is_postgres(),
            "with PostgreSQL, set the installation secret (HROMADA_SECRET or `secret` in the config file) so that all app nodes share it"
        );
        secret_file(&self.data_dir.join("secret.key"))
    }
}

fn secret_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    if let Ok(existing) = std::fs::read_to_string(path) {
        let trimmed = existing.trim();
        anyhow::ensure!(trimmed.len() >= 32, "the secret in {} is too short", path.display());
        return Ok(trimmed.as_bytes().to_vec());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let secret = hex::encode(bytes);
    std::fs::write(path, &secret).with_context(|| format!("cannot write {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(secret.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("h.toml");
        std::fs::write(
            &file,
            "bind = \"0.0.0.0:9\"\ndata_dir = \"/from/file\"\n[smtp]\nhost = \"mail.example\"\npassword = \"p\"\n",
        )
        .unwrap();
        let over = Overrides { data_dir: Some(PathBuf::from("/from/flag")), database_url: None, config: Some(file) };
        let s = Settings::load(&over, None, "127.0.0.1:8080").unwrap();
        assert_eq!(s.data_dir, PathBuf::from("/from/flag"));
        assert_eq!(s.bind, "0.0.0.0:9");
        assert!(s.database_url.starts_with("sqlite:///from/flag/"));
        let shown = format!("{s:?}");
        assert!(!shown.contains("\"p\""), "the SMTP password must not be printed: {shown}");
        let s = Settings::load(&over, Some("127.0.0.1:1".into()), "x").unwrap();
        assert_eq!(s.bind, "127.0.0.1:1");
    }

    #[test]
    fn an_unknown_key_in_the_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("h.toml");
        std::fs::write(&file, "bindd = \"x\"\n").unwrap();
        let over = Overrides { config: Some(file), ..Default::default() };
        assert!(Settings::load(&over, None, "x").is_err());
    }

    #[test]
    fn the_secret_is_created_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.key");
        let a = secret_file(&path).unwrap();
        let b = secret_file(&path).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.len(), 64);
    }
}
