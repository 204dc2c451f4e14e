//! `phare`: the server, the operator commands and the API client in one binary.

mod admin;
mod client;
mod config;
mod db;
// decisions (issue #4)
mod decisions_cli;
mod discovery_cli;
mod jobs;
// Stakeholder sessions (issue #4 part 3).
mod mailer;
mod moving;
// scoring slice (issue #4)
mod scoring_cli;
mod serve;
// specs (issue 4)
mod specs_cli;
mod stakeholders_cli;

use anyhow::Result;
use clap::{Parser, Subcommand};
use config::{Config, DbArgs, LogFormat, ServeArgs};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "phare",
    version,
    about = "Phare — self-hosted product management",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Start the web server.
    Serve(ServeArgs),
    /// Apply pending database migrations, then exit.
    Migrate(DbArgs),
    /// Show the resolved configuration (secrets redacted).
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Operator commands on the database (no server needed).
    Admin {
        #[command(subcommand)]
        command: admin::AdminCommand,
    },
    /// Copy the database to a file while the server runs.
    Backup {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        to: PathBuf,
    },
    /// Load a backup (SQLite file or JSON dump) into an empty database.
    Restore {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        from: PathBuf,
    },
    /// Export everything from the database (`json` dump or `checksums`), or, with `--what
    /// feedback|ideas`, a CSV, XLSX or JSON file through the API of a running server.
    Export {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        remote: client::Remote,
        /// json or checksums (whole database); csv, xlsx or json (with --what).
        #[arg(long, default_value = "json")]
        format: String,
        /// feedback or ideas: export those through the API instead of the whole database.
        #[arg(long)]
        what: Option<String>,
        /// Only this product (required for ideas).
        #[arg(long)]
        product: Option<String>,
        /// CSV separator: comma or semicolon.
        #[arg(long)]
        delimiter: Option<String>,
        /// File to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Import a JSON dump into an empty database, or, with `--product`, a CSV or JSON file from
    /// another tool (Jira, Linear, GitHub, Trello, Canny, Productboard…) through the API.
    Import {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        remote: client::Remote,
        #[arg(long, default_value = "json")]
        format: String,
        /// Import the file's feedback or ideas into this product, through the API.
        #[arg(long)]
        product: Option<String>,
        /// With --product: check the file and show what would be imported; store nothing.
        #[arg(long)]
        dry_run: bool,
        /// With --product: source of feedback rows that name none.
        #[arg(long)]
        source: Option<String>,
        file: PathBuf,
    },
    /// Products, through the API of a running server.
    Products {
        #[command(flatten)]
        remote: client::Remote,
        #[command(subcommand)]
        command: client::ProductsCommand,
    },
    /// Product lines, through the API of a running server.
    ProductLines {
        #[command(flatten)]
        remote: client::Remote,
        #[command(subcommand)]
        command: client::ProductLinesCommand,
    },
    /// Members of the workspace, through the API of a running server.
    Members {
        #[command(flatten)]
        remote: client::Remote,
        #[command(subcommand)]
        command: client::MembersCommand,
    },
    /// Invitations, through the API of a running server.
    Invitations {
        #[command(flatten)]
        remote: client::Remote,
        #[command(subcommand)]
        command: client::InvitationsCommand,
    },
    /// Your personal access tokens, through the API of a running server.
    Tokens {
        #[command(flatten)]
        remote: client::Remote,
        #[command(subcommand)]
        command: client::TokensCommand,
    },
    /// The audit trail, through the API of a running server.
    Audit {
        #[command(flatten)]
        remote: client::Remote,
        #[command(subcommand)]
        command: client::AuditCommand,
    },
    /// Your own profile, through the API of a running server.
    Profile {
        #[command(flatten)]
        remote: client::Remote,
        #[command(subcommand)]
        command: client::ProfileCommand,
    },
    /// Feedback and the inbox, through the API of a running server.
    Feedback {
        #[command(flatten)]
        remote: client::Remote,
        #[command(subcommand)]
        command: discovery_cli::FeedbackCommand,
    },
    /// Ideas, through the API of a running server.
    Ideas {
        #[command(flatten)]
        remote: client::Remote,
        #[command(subcommand)]
        command: discovery_cli::IdeasCommand,
    },
    /// Record a decision on an idea (accept, decline, defer, merge), through the API of a
    /// running server.
    Decide {
        #[command(flatten)]
        remote: client::Remote,
        #[command(flatten)]
        args: decisions_cli::DecideArgs,
    },
    /// The decision log of a product, through the API of a running server.
    Decisions {
        #[command(flatten)]
        remote: client::Remote,
        #[command(subcommand)]
        command: decisions_cli::DecisionsCommand,
    },
    // specs (issue 4)
    /// Specs of ideas (export as Gherkin or Markdown), through the API of a running server.
    Spec {
        #[command(flatten)]
        remote: client::Remote,
        #[command(subcommand)]
        command: specs_cli::SpecCommand,
    },
    /// Stakeholder prioritization sessions, through the API of a running server.
    Sessions {
        #[command(flatten)]
        remote: client::Remote,
        #[command(subcommand)]
        command: stakeholders_cli::SessionsCommand,
    },
    /// Search feedback and ideas, through the API of a running server.
    Search {
        #[command(flatten)]
        remote: client::Remote,
        /// Words to find (French or English).
        query: String,
        /// Only within this product (id).
        #[arg(long)]
        product: Option<String>,
        /// feedback or idea.
        #[arg(long)]
        kind: Option<String>,
    },
    // scoring slice (issue #4)
    /// Score an idea in one framework (or list its scores), through the API of a running
    /// server: `phare score CHK-42 rice --reach 500 --impact 2 --confidence 0.8 --effort 4`.
    Score {
        #[command(flatten)]
        remote: client::Remote,
        #[command(flatten)]
        args: scoring_cli::ScoreArgs,
    },
    /// A product's ranked backlog, by score or manual rank, filtered, through the API.
    Backlog {
        #[command(flatten)]
        remote: client::Remote,
        #[command(flatten)]
        args: scoring_cli::BacklogArgs,
    },
}

#[derive(Subcommand, Debug)]
enum ConfigCommand {
    Show(ServeArgs),
}

fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PHARE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => {
            let config = Config::resolve(&args)?;
            init_logs(config.log_format);
            serve::run(config).await
        }
        Command::Migrate(db) => {
            init_logs(LogFormat::Text);
            let config = Config::for_db(&db)?;
            let db = db::Db::open(&config).await?;
            db.migrate().await?;
            eprintln!("migrations applied ({} database)", db.store().backend());
            db.close().await;
            Ok(())
        }
        Command::Config {
            command: ConfigCommand::Show(args),
        } => {
            print!("{}", Config::resolve(&args)?.redacted()?);
            Ok(())
        }
        Command::Admin { command } => admin::run(command).await,
        Command::Backup { db, to } => moving::backup(&db, &to).await,
        Command::Restore { db, from } => moving::restore(&db, &from).await,
        Command::Export {
            remote,
            what: Some(what),
            product,
            format,
            delimiter,
            out,
            ..
        } => client::finish(
            discovery_cli::export_file(&remote, &what, product, &format, delimiter, out.as_deref())
                .await,
        ),
        Command::Export {
            db, format, out, ..
        } => moving::export(&db, &format, out.as_deref()).await,
        Command::Import {
            remote,
            product: Some(product),
            dry_run,
            source,
            file,
            ..
        } => client::finish(
            discovery_cli::import_file(&remote, &file, &product, dry_run, source).await,
        ),
        Command::Import {
            db, format, file, ..
        } => {
            if format != "json" {
                anyhow::bail!("unknown import format {format}: use json");
            }
            let text = std::fs::read_to_string(&file)?;
            let dump: phare_store::Dump = serde_json::from_str(&text)?;
            if !dump.is_recognised() {
                anyhow::bail!("{} is not a Phare JSON dump", file.display());
            }
            moving::load(&db, &dump).await?;
            eprintln!("imported {}", file.display());
            Ok(())
        }
        Command::Products { remote, command } => {
            client::finish(client::products(&remote, command).await)
        }
        Command::ProductLines { remote, command } => {
            client::finish(client::product_lines(&remote, command).await)
        }
        Command::Members { remote, command } => {
            client::finish(client::members(&remote, command).await)
        }
        Command::Invitations { remote, command } => {
            client::finish(client::invitations(&remote, command).await)
        }
        Command::Tokens { remote, command } => {
            client::finish(client::tokens(&remote, command).await)
        }
        Command::Audit { remote, command } => client::finish(client::audit(&remote, command).await),
        Command::Profile { remote, command } => {
            client::finish(client::profile(&remote, command).await)
        }
        Command::Feedback { remote, command } => {
            client::finish(discovery_cli::feedback(&remote, command).await)
        }
        Command::Ideas { remote, command } => {
            client::finish(discovery_cli::ideas(&remote, command).await)
        }
        Command::Sessions { remote, command } => {
            client::finish(stakeholders_cli::sessions(&remote, command).await)
        }
        Command::Search {
            remote,
            query,
            product,
            kind,
        } => client::finish(discovery_cli::search(&remote, &query, product, kind).await),
        // decisions (issue #4)
        Command::Decide { remote, args } => {
            client::finish(decisions_cli::decide(&remote, args).await)
        }
        Command::Decisions { remote, command } => {
            client::finish(decisions_cli::decisions(&remote, command).await)
        }
        // specs (issue 4)
        Command::Spec { remote, command } => client::finish(specs_cli::run(&remote, command).await),
        // scoring slice (issue #4)
        Command::Score { remote, args } => client::finish(scoring_cli::score(&remote, args).await),
        Command::Backlog { remote, args } => {
            client::finish(scoring_cli::backlog(&remote, args).await)
        }
    }
}
