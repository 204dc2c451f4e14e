//! Configuration, layered: defaults < config file < `PHARE_*` environment < command-line flags.
//! clap merges the last two; the file fills what neither gave.

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MigrateMode {
    /// Apply pending migrations at start.
    Auto,
    /// Refuse to start unless the schema is current (several instances: run `phare migrate`).
    Check,
    /// Do not look.
    Skip,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    Text,
    Json,
}

/// Where the data lives: shared by every command that opens the database.
#[derive(Args, Clone, Debug, Default)]
pub struct DbArgs {
    /// Data directory; the SQLite database and its lock file live here.
    #[arg(long, env = "PHARE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL; `postgres://…` selects PostgreSQL. Default: SQLite in the data directory.
    #[arg(long, env = "PHARE_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Optional TOML configuration file.
    #[arg(long, env = "PHARE_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Clone, Debug, Default)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Address to listen on.
    #[arg(long, env = "PHARE_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Public URL, used in links and to check the Origin of forms.
    #[arg(long, env = "PHARE_BASE_URL")]
    pub base_url: Option<String>,
    #[arg(long, env = "PHARE_MIGRATE", value_enum)]
    pub migrate: Option<MigrateMode>,
    /// Bearer token that opens /metrics (no token: /metrics is off).
    #[arg(long, env = "PHARE_METRICS_TOKEN")]
    pub metrics_token: Option<String>,
    /// Failed and successful sign-in attempts allowed per IP address and per e-mail in 15 minutes.
    #[arg(long, env = "PHARE_LOGIN_RATE_LIMIT")]
    pub login_rate_limit: Option<i64>,
    /// Reverse proxies whose X-Forwarded-For is trusted (comma-separated IPs).
    #[arg(long, env = "PHARE_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Option<Vec<IpAddr>>,
    #[arg(long, env = "PHARE_LOG_FORMAT", value_enum)]
    pub log_format: Option<LogFormat>,
    /// SMTP server for the portals' e-mails: `smtps://user:password@host:465`,
    /// `smtp://user:password@host:587?tls=required` (STARTTLS) or `smtp://host:25` (no TLS:
    /// a local relay only). Without one, e-mails wait in the outbox for admins to read.
    #[arg(long, env = "PHARE_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of those e-mails: `Phare <phare@example.org>` or an address.
    #[arg(long, env = "PHARE_SMTP_FROM")]
    pub smtp_from: Option<String>,
    /// Rate limits of the public portals, per person and per IP address:
    /// `codes=5/20,submissions=5/20,votes=100/400,comments=20/80` (codes per 15 minutes, the
    /// rest per hour; kinds not named keep these defaults).
    #[arg(long, env = "PHARE_PORTAL_RATE_LIMITS")]
    pub portal_rate_limits: Option<String>,
}

/// The file form of the configuration: every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    listen: Option<SocketAddr>,
    base_url: Option<String>,
    migrate: Option<MigrateMode>,
    metrics_token: Option<String>,
    login_rate_limit: Option<i64>,
    trusted_proxies: Option<Vec<IpAddr>>,
    log_format: Option<LogFormat>,
    smtp_url: Option<String>,
    smtp_from: Option<String>,
    portal_rate_limits: Option<String>,
}

/// The resolved configuration.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub listen: SocketAddr,
    pub base_url: String,
    pub migrate: MigrateMode,
    pub metrics_token: Option<String>,
    pub login_rate_limit: i64,
    pub trusted_proxies: Vec<IpAddr>,
    pub log_format: LogFormat,
    /// Absent: e-mails stay in the outbox (admins read them there).
    pub smtp_url: Option<String>,
    pub smtp_from: Option<String>,
    /// As written (`codes=5/20,…`); parsed by [`Config::portal_limits`].
    pub portal_rate_limits: String,
}

fn read_file(path: Option<&Path>) -> Result<FileConfig> {
    match path {
        None => Ok(FileConfig::default()),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read the configuration file {}", p.display()))?;
            toml::from_str(&text)
                .with_context(|| format!("invalid configuration file {}", p.display()))
        }
    }
}

pub fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("phare.db").display())
}

impl Config {
    pub fn resolve(a: &ServeArgs) -> Result<Config> {
        let f = read_file(a.db.config.as_deref())?;
        let data_dir =
            a.db.data_dir
                .clone()
                .or(f.data_dir)
                .unwrap_or_else(|| PathBuf::from("./phare-data"));
        let database_url =
            a.db.database_url
                .clone()
                .or(f.database_url)
                .unwrap_or_else(|| sqlite_url(&data_dir));
        let listen = a
            .listen
            .or(f.listen)
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
        let base_url = a
            .base_url
            .clone()
            .or(f.base_url)
            .unwrap_or_else(|| format!("http://{listen}"));
        let base_url = base_url.trim_end_matches('/').to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            bail!("--base-url must start with http:// or https:// (got {base_url})");
        }
        let login_rate_limit = a.login_rate_limit.or(f.login_rate_limit).unwrap_or(10);
        if login_rate_limit < 1 {
            bail!("--login-rate-limit must be at least 1");
        }
        let smtp_url = a
            .smtp_url
            .clone()
            .or(f.smtp_url)
            .filter(|u| !u.trim().is_empty());
        let smtp_from = a
            .smtp_from
            .clone()
            .or(f.smtp_from)
            .filter(|u| !u.trim().is_empty());
        if let Some(u) = &smtp_url {
            if !(u.starts_with("smtp://") || u.starts_with("smtps://")) {
                bail!("--smtp-url must start with smtp:// or smtps://");
            }
            if smtp_from.is_none() {
                bail!("--smtp-url needs --smtp-from (the sender address of the e-mails)");
            }
        }
        let portal_rate_limits = a
            .portal_rate_limits
            .clone()
            .or(f.portal_rate_limits)
            .unwrap_or_default();
        phare_core::PortalLimits::parse(&portal_rate_limits)
            .map_err(|e| anyhow::anyhow!("--portal-rate-limits: {e}"))?;
        Ok(Config {
            data_dir,
            database_url,
            listen,
            base_url,
            migrate: a.migrate.or(f.migrate).unwrap_or(MigrateMode::Auto),
            metrics_token: a
                .metrics_token
                .clone()
                .or(f.metrics_token)
                .filter(|t| !t.is_empty()),
            login_rate_limit,
            trusted_proxies: a
                .trusted_proxies
                .clone()
                .or(f.trusted_proxies)
                .unwrap_or_default(),
            log_format: a.log_format.or(f.log_format).unwrap_or(LogFormat::Text),
            smtp_url,
            smtp_from,
            portal_rate_limits,
        })
    }

    pub fn for_db(db: &DbArgs) -> Result<Config> {
        Config::resolve(&ServeArgs {
            db: db.clone(),
            ..Default::default()
        })
    }

    /// The portals' rate limits (checked when the configuration was resolved).
    pub fn portal_limits(&self) -> phare_core::PortalLimits {
        phare_core::PortalLimits::parse(&self.portal_rate_limits).unwrap_or_default()
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://")
    }

    /// The configuration as TOML with secrets replaced, for `phare config show`.
    pub fn redacted(&self) -> Result<String> {
        let mut c = self.clone();
        c.database_url = redact_url(&c.database_url);
        if c.metrics_token.is_some() {
            c.metrics_token = Some("[redacted]".into());
        }
        c.smtp_url = c.smtp_url.as_deref().map(redact_url);
        Ok(toml::to_string(&c)?)
    }
}

/// Hides the password of a database URL.
pub fn redact_url(u: &str) -> String {
    match url::Url::parse(u) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("redacted"));
            parsed.to_string()
        }
        _ => u.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_the_file_which_overrides_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("phare.toml");
        std::fs::write(&file, "listen = \"127.0.0.1:9000\"\nlogin_rate_limit = 3\nbase_url = \"https://pm.example.org/\"\n").unwrap();
        let mut a = ServeArgs::default();
        a.db.config = Some(file.clone());
        let c = Config::resolve(&a).unwrap();
        assert_eq!(c.listen.port(), 9000);
        assert_eq!(c.login_rate_limit, 3);
        assert_eq!(c.base_url, "https://pm.example.org");
        assert!(c.database_url.starts_with("sqlite://./phare-data"));
        a.listen = Some("127.0.0.1:9100".parse().unwrap());
        assert_eq!(Config::resolve(&a).unwrap().listen.port(), 9100);
    }

    #[test]
    fn mail_and_portal_limits_are_layered_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("phare.toml");
        std::fs::write(
            &file,
            "smtp_url = \"smtp://relay.internal:25\"\nsmtp_from = \"phare@example.org\"\nportal_rate_limits = \"votes=7/70\"\n",
        )
        .unwrap();
        let mut a = ServeArgs::default();
        a.db.config = Some(file);
        let c = Config::resolve(&a).unwrap();
        assert_eq!(c.smtp_url.as_deref(), Some("smtp://relay.internal:25"));
        assert_eq!(c.portal_limits().votes.per_person, 7);
        a.portal_rate_limits = Some("codes=2/3".into());
        let c = Config::resolve(&a).unwrap();
        assert_eq!(c.portal_limits().codes.per_ip, 3);
        assert_eq!(
            c.portal_limits().votes.per_person,
            100,
            "the flag replaces the file"
        );
        a.portal_rate_limits = Some("votes=zero/1".into());
        assert!(Config::resolve(&a).is_err());
        a.portal_rate_limits = None;
        // An empty sender from the command line leaves the file's server without one.
        a.smtp_from = Some(String::new());
        assert!(Config::resolve(&a).is_err());
        let mut no_from = ServeArgs {
            smtp_url: Some("smtp://relay:25".into()),
            ..Default::default()
        };
        assert!(Config::resolve(&no_from).is_err(), "a sender is required");
        no_from.smtp_url = Some("http://relay".into());
        no_from.smtp_from = Some("a@b.c".into());
        assert!(Config::resolve(&no_from).is_err());
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("phare.toml");
        std::fs::write(&file, "lisen = \"127.0.0.1:9000\"\n").unwrap();
        let mut a = ServeArgs::default();
        a.db.config = Some(file);
        assert!(Config::resolve(&a).is_err());
    }

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(
            redact_url("postgres://phare:s3cret@db:5432/phare"),
            "postgres://phare:redacted@db:5432/phare"
        );
        let c = Config {
            metrics_token: Some("tok".into()),
            database_url: "postgres://u:p@h/d".into(),
            ..Config::for_db(&DbArgs::default()).unwrap()
        };
        let shown = c.redacted().unwrap();
        assert!(
            !shown.contains("tok\"") && !shown.contains(":p@"),
            "{shown}"
        );
        let mail = Config {
            smtp_url: Some("smtps://mailer:s3cret-pass@smtp.example.org:465".into()),
            smtp_from: Some("Phare <phare@example.org>".into()),
            ..Config::for_db(&DbArgs::default()).unwrap()
        };
        let shown = mail.redacted().unwrap();
        assert!(!shown.contains("s3cret-pass"), "{shown}");
        assert!(shown.contains("smtp.example.org"), "{shown}");
    }
}
