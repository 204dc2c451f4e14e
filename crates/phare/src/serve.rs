//! `phare serve`: open the database, check or apply migrations, print the setup link when
//! nobody has set Phare up, serve until SIGTERM or Ctrl-C, then finish in-flight requests.

use crate::config::{Config, MigrateMode};
use crate::db::{self, Db};
use anyhow::{bail, Context, Result};
use phare_core::{CoreConfig, Phare};
use phare_web::{AppState, WebConfig};
use std::net::SocketAddr;
use std::time::Duration;

pub async fn run(config: Config) -> Result<()> {
    let _lock = db::lock_data_dir(&config)?;
    let db = Db::open(&config).await?;
    match config.migrate {
        MigrateMode::Auto => db.migrate().await.context("migrations failed")?,
        MigrateMode::Check => {
            if !db.store().schema_is_current().await? {
                bail!("the database schema is not current: run `phare migrate` first (--migrate check)");
            }
        }
        MigrateMode::Skip => {}
    }
    let core = CoreConfig {
        login_attempts_per_ip: config.login_rate_limit,
        login_attempts_per_email: config.login_rate_limit,
        portal: config.portal_limits(),
        ..CoreConfig::default()
    };
    let phare = Phare::new(db.store(), core);
    let web = WebConfig {
        base_url: config.base_url.clone(),
        metrics_token: config.metrics_token.clone(),
        trusted_proxies: config.trusted_proxies.clone(),
        body_limit: 2 * 1024 * 1024,
        import_limit: 64 * 1024 * 1024,
    };
    let app = phare_web::router(AppState::new(phare.clone(), web));
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    println!(
        "Phare is listening on http://{addr} ({} database)",
        db.store().backend()
    );
    tracing::info!(%addr, backend = db.store().backend(), "listening");
    // Printed after the "listening" line: anything that waits for the URL to appear may
    // connect at once (the setup link contains the URL too).
    if let Some(token) = phare.issue_setup_token().await? {
        println!("Phare is not set up yet. Open this link to create the first administrator (valid 24 h, once):");
        println!("  {}/setup?token={token}", config.base_url);
    }

    // With an SMTP server, this instance sends the outbox's e-mails; without one they wait
    // in the outbox, where admins read them.
    let sender = match (&config.smtp_url, &config.smtp_from) {
        (Some(url), Some(from)) => {
            let mailer = crate::mailer::Mailer::new(url, from)?;
            Some(tokio::spawn(crate::mailer::run(
                phare.clone(),
                mailer,
                config.base_url.clone(),
            )))
        }
        _ => None,
    };
    // decisions (issue #4): every instance runs due jobs (claims are in the database).
    let jobs = tokio::spawn(crate::jobs::run(phare.clone()));
    let purge = tokio::spawn(purge_sessions(phare));
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("server error")?;
    purge.abort();
    jobs.abort();
    if let Some(s) = sender {
        s.abort();
    }
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Removes dead sessions (the team's and the portals'), spent sign-in codes, and the codes of
/// expired sign-in e-mails every ten minutes (each instance does it; the deletes are
/// idempotent).
async fn purge_sessions(phare: Phare) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        if let Err(e) = phare.purge_sessions().await {
            tracing::warn!(error = %e, "session purge failed");
        }
        if let Err(e) = phare.purge_portal().await {
            tracing::warn!(error = %e, "portal purge failed");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing in-flight requests");
}
