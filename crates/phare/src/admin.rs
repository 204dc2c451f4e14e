//! Operator commands that work on the database directly (no server needed): create users and
//! tokens, reset passwords, disable accounts. Each is audited with the actor `cli`.

use crate::config::{Config, DbArgs};
use crate::db::Db;
use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use phare_core::{CoreError, NewTokenInput, Phare, RequestMeta};
use phare_domain::{Role, Scope};
use std::io::Read;

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create a member (and the workspace when there is none yet).
    CreateUser {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, product_manager, contributor, stakeholder or viewer.
        #[arg(long, default_value = "admin")]
        role: String,
        /// Read the password from standard input (it never appears in the process list).
        #[arg(long)]
        password_stdin: bool,
        /// Workspace name: used if it exists, created otherwise. Default: the first workspace.
        #[arg(long)]
        workspace: Option<String>,
    },
    /// Create a personal access token; prints the token alone on standard output.
    CreateToken {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        email: String,
        /// Comma-separated: all, read, write, admin.
        #[arg(long, default_value = "all")]
        scopes: String,
        #[arg(long, default_value = "cli")]
        name: String,
        /// Days until it expires (no value: never).
        #[arg(long)]
        expires_in_days: Option<i64>,
    },
    /// Set a member's password (read from standard input); their sessions end.
    ResetPassword {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        email: String,
    },
    /// Disable a member: their sessions and tokens stop working at once.
    DisableUser {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        email: String,
    },
    /// Enable a disabled member again (tokens stay revoked).
    EnableUser {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        email: String,
    },
}

fn read_password() -> Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("cannot read the password from standard input")?;
    let p = s.trim_end_matches(['\n', '\r']).to_owned();
    if p.is_empty() {
        bail!("no password on standard input");
    }
    Ok(p)
}

/// Turns a use-case error into a readable CLI error (field errors in English).
fn explain(e: CoreError) -> anyhow::Error {
    if e.fields.is_empty() {
        anyhow!("{}", e.code)
    } else {
        let fields: Vec<String> = e
            .fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.code))
            .collect();
        anyhow!("{} ({})", e.code, fields.join(", "))
    }
}

async fn open(db: &DbArgs) -> Result<(Db, Phare)> {
    let config = Config::for_db(db)?;
    let db = Db::open_migrated(&config).await?;
    let phare = Phare::new(db.store(), Default::default());
    Ok((db, phare))
}

pub async fn run(cmd: AdminCommand) -> Result<()> {
    let meta = RequestMeta::cli();
    match cmd {
        AdminCommand::CreateUser {
            db,
            email,
            name,
            role,
            password_stdin,
            workspace,
        } => {
            if !password_stdin {
                bail!("pass the password on standard input with --password-stdin");
            }
            let role = Role::parse(&role).ok_or_else(|| anyhow!("unknown role {role}: use admin, product_manager, contributor, stakeholder or viewer"))?;
            let password = read_password()?;
            let (db, phare) = open(&db).await?;
            let m = phare
                .operator_create_user(&meta, &email, &name, role, &password, workspace.as_deref())
                .await
                .map_err(explain)?;
            eprintln!(
                "created {} ({}) in workspace {}",
                m.email, m.role, m.workspace_id
            );
            db.close().await;
        }
        AdminCommand::CreateToken {
            db,
            email,
            scopes,
            name,
            expires_in_days,
        } => {
            let scopes = scopes
                .split(',')
                .map(|s| {
                    Scope::parse(s.trim())
                        .ok_or_else(|| anyhow!("unknown scope {s}: use all, read, write or admin"))
                })
                .collect::<Result<Vec<_>>>()?;
            let (db, phare) = open(&db).await?;
            let actor = phare.operator_actor(&email).await.map_err(explain)?;
            let (_, secret) = phare
                .create_token(
                    &actor,
                    &meta,
                    NewTokenInput {
                        name,
                        scopes,
                        expires_in_days,
                    },
                )
                .await
                .map_err(explain)?;
            println!("{secret}");
            db.close().await;
        }
        AdminCommand::ResetPassword { db, email } => {
            let password = read_password()?;
            let (db, phare) = open(&db).await?;
            phare
                .operator_reset_password(&meta, &email, &password)
                .await
                .map_err(explain)?;
            eprintln!("password set for {email}; their sessions ended");
            db.close().await;
        }
        AdminCommand::DisableUser { db, email } => {
            let (db, phare) = open(&db).await?;
            phare
                .operator_set_disabled(&meta, &email, true)
                .await
                .map_err(explain)?;
            eprintln!("{email} is disabled; their sessions and tokens no longer work");
            db.close().await;
        }
        AdminCommand::EnableUser { db, email } => {
            let (db, phare) = open(&db).await?;
            phare
                .operator_set_disabled(&meta, &email, false)
                .await
                .map_err(explain)?;
            eprintln!("{email} is enabled");
            db.close().await;
        }
    }
    Ok(())
}
