//! `impl ScoringStore for SqliteStore`: scoring settings and the custom scorecard, idea scores,
//! the ranked backlog (keyset pages by score or by manual rank), moves in the manual order,
//! saved views and the value/effort matrix.
//!
//! `ideas.score` is kept by set-based statements: one UPDATE re-scores a whole product after a
//! weight or the primary framework changes (never one statement per idea).

use crate::db::{self, Sql};
use crate::discovery::{check_product, idea_in_tx, record_change, reindex_idea};
use crate::rows::{get, parse, parse_opt, ts, us};
use crate::SqliteStore;
use async_trait::async_trait;
use phare_domain::backlog::{default_rank, key_between};
use phare_domain::scoring::Criterion;
use phare_domain::*;
use phare_store::*;
use rusqlite::{params, Connection, Row};
use uuid::Uuid;

const SCORE_COLS: &str = "idea_id, framework, workspace_id, product_id, inputs, value, \
     updated_by, updated_at, version";
/// A backlog row's columns but its score, which comes from the score order (sorted by score)
/// or from the primary framework's value (sorted by rank).
const BACKLOG_COLS: &str = "i.id, i.number, i.kind, i.title, i.status, i.owner_id, i.rank, \
     i.evidence_count, i.vote_count, i.bug_severity";
const VIEW_COLS: &str =
    "id, workspace_id, product_id, owner_id, shared, name, query, created_at, version";

fn score_row(row: &Row<'_>) -> StoreResult<IdeaScore> {
    let inputs: String = get(row, "inputs")?;
    Ok(IdeaScore {
        idea_id: IdeaId(get(row, "idea_id")?),
        framework: parse(
            &get::<String>(row, "framework")?,
            Framework::parse,
            "framework",
        )?,
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        inputs: serde_json::from_str(&inputs)
            .map_err(|e| StoreError::Other(format!("inputs: {e}")))?,
        value: get(row, "value")?,
        updated_by: get::<Option<Uuid>>(row, "updated_by")?.map(MemberId),
        updated_at: ts(get(row, "updated_at")?)?,
        version: get(row, "version")?,
    })
}

fn backlog_row(key: &str) -> impl Fn(&Row<'_>) -> StoreResult<BacklogItem> + '_ {
    move |row| {
        let number: i64 = get(row, "number")?;
        Ok(BacklogItem {
            id: IdeaId(get(row, "id")?),
            number,
            reference: idea_reference(key, number),
            kind: parse(&get::<String>(row, "kind")?, IdeaKind::parse, "kind")?,
            severity: parse_opt(get(row, "bug_severity")?, Severity::parse, "bug_severity")?,
            title: get(row, "title")?,
            status: parse(&get::<String>(row, "status")?, IdeaStatus::parse, "status")?,
            owner_id: get::<Option<Uuid>>(row, "owner_id")?.map(MemberId),
            // -Infinity in the score order stands for "not scored" (migration 0013).
            score: get::<Option<f64>>(row, "score")?.filter(|s| s.is_finite()),
            rank: get(row, "rank")?,
            evidence_count: get(row, "evidence_count")?,
            vote_count: get(row, "vote_count")?,
        })
    }
}

fn view_row(row: &Row<'_>) -> StoreResult<BacklogView> {
    Ok(BacklogView {
        id: get(row, "id")?,
        workspace_id: WorkspaceId(get(row, "workspace_id")?),
        product_id: ProductId(get(row, "product_id")?),
        owner_id: MemberId(get(row, "owner_id")?),
        shared: get(row, "shared")?,
        name: get(row, "name")?,
        query: get(row, "query")?,
        created_at: ts(get(row, "created_at")?)?,
        version: get(row, "version")?,
    })
}

fn insert_view(c: &Connection, v: &BacklogView) -> StoreResult<()> {
    db::exec(
        c,
        &format!("INSERT INTO backlog_views ({VIEW_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        params![
            v.id,
            v.workspace_id.0,
            v.product_id.0,
            v.owner_id.0,
            v.shared,
            &v.name,
            &v.query,
            us(v.created_at),
            v.version
        ],
    )?;
    Ok(())
}

fn settings_in_tx(
    c: &Connection,
    ws: WorkspaceId,
    product: ProductId,
) -> StoreResult<ScoringSettings> {
    check_product(c, ws, product)?;
    let head = db::opt(
        c,
        "SELECT primary_framework, updated_at, version FROM scoring_settings WHERE product_id = ?",
        params![product.0],
        |r| {
            Ok((
                parse(
                    &get::<String>(r, "primary_framework")?,
                    Framework::parse,
                    "framework",
                )?,
                ts(get(r, "updated_at")?)?,
                get::<i64>(r, "version")?,
            ))
        },
    )?;
    let criteria = db::all(
        c,
        "SELECT id, name, scale, weight FROM scorecard_criteria WHERE product_id = ? \
         ORDER BY position",
        params![product.0],
        |r| {
            Ok(Criterion {
                id: get(r, "id")?,
                name: get(r, "name")?,
                scale: get(r, "scale")?,
                weight: get(r, "weight")?,
            })
        },
    )?;
    let (primary_framework, updated_at, version) = match head {
        Some((f, at, v)) => (f, Some(at), v),
        None => (Framework::default(), None, 0),
    };
    Ok(ScoringSettings {
        workspace_id: ws,
        product_id: product,
        primary_framework,
        criteria,
        updated_at,
        version,
    })
}

fn primary_of(c: &Connection, product: ProductId) -> StoreResult<Framework> {
    Ok(db::opt(
        c,
        "SELECT primary_framework FROM scoring_settings WHERE product_id = ?",
        params![product.0],
        |r| get::<String>(r, "primary_framework"),
    )?
    .and_then(|f| Framework::parse(&f))
    .unwrap_or_default())
}

/// Recomputes every scorecard value of the product from the points and the current weights
/// (the formula of `phare_domain::scoring`), in one statement; without criteria the
/// scorecard scores go.
fn rescore_scorecard(c: &Connection, product: ProductId) -> StoreResult<()> {
    let total: Option<f64> = db::one(
        c,
        "SELECT sum(weight) AS total FROM scorecard_criteria WHERE product_id = ?",
        params![product.0],
        |r| get(r, "total"),
    )?;
    match total {
        Some(total) if total > 0.0 => {
            db::exec(
                c,
                "UPDATE idea_scores SET value = round(100.0 * coalesce((\
                   SELECT sum(k.weight * p.points / k.scale) FROM idea_criterion_points p \
                   JOIN scorecard_criteria k ON k.id = p.criterion_id \
                   WHERE p.idea_id = idea_scores.idea_id), 0) / ?1 * 1e6) / 1e6 \
                 WHERE product_id = ?2 AND framework = 'scorecard'",
                params![total, product.0],
            )?;
        }
        _ => {
            db::exec(
                c,
                "DELETE FROM idea_scores WHERE product_id = ? AND framework = 'scorecard'",
                params![product.0],
            )?;
        }
    }
    Ok(())
}

/// An idea's key in the backlog's score order (migration 0013): its product, its status and its
/// primary framework's value, -Infinity when it has none.
#[derive(PartialEq)]
struct OrderKey {
    product: Uuid,
    status: String,
    score: f64,
}

/// How the order tables write "no score": below every finite score, so unscored ideas come last.
const UNSCORED: &str = "coalesce(score, -1e999)";

fn order_key(c: &Connection, idea: IdeaId) -> StoreResult<OrderKey> {
    db::one(
        c,
        &format!(
            "SELECT product_id, status, {UNSCORED} AS score FROM idea_primary_scores \
             WHERE idea_id = ?"
        ),
        params![idea.0],
        |r| {
            Ok(OrderKey {
                product: get(r, "product_id")?,
                status: get(r, "status")?,
                score: get(r, "score")?,
            })
        },
    )
}

/// Moves the idea in the backlog's score order from `before` to its key now, after one of its
/// scores was written or deleted (nothing to do when it was not the primary one).
fn reorder(c: &Connection, idea: IdeaId, before: &OrderKey) -> StoreResult<()> {
    let after = order_key(c, idea)?;
    if after == *before {
        return Ok(());
    }
    db::exec(
        c,
        "DELETE FROM backlog_by_score WHERE product_id = ? AND score = ? AND idea_id = ?",
        params![before.product, before.score, idea.0],
    )?;
    db::exec(
        c,
        "DELETE FROM backlog_by_status_score \
         WHERE product_id = ? AND status = ? AND score = ? AND idea_id = ?",
        params![before.product, &before.status, before.score, idea.0],
    )?;
    db::exec(
        c,
        "INSERT INTO backlog_by_score (product_id, score, idea_id) VALUES (?, ?, ?)",
        params![after.product, after.score, idea.0],
    )?;
    db::exec(
        c,
        "INSERT INTO backlog_by_status_score (product_id, status, score, idea_id) \
         VALUES (?, ?, ?, ?)",
        params![after.product, &after.status, after.score, idea.0],
    )?;
    Ok(())
}

/// Writes the backlog's score order of one product (or of every product) again from the scores:
/// after a change of primary framework or of the scorecard's weights, and after loading a dump.
/// The product's keys are removed, then appended in key order, page after page; moving each
/// idea's key in place instead visits the index pages at random (0.9 s against 0.3 s for
/// 100,000 ideas, docs/PERFORMANCE.md).
fn rebuild_order(c: &Connection, product: Option<ProductId>) -> StoreResult<()> {
    let (only, bind) = match product {
        Some(p) => ("WHERE product_id = ?1", Some(p.0)),
        // Every product: a condition always true, so both cases bind the same one parameter.
        None => ("WHERE ?1 IS NULL", None),
    };
    for sql in [
        format!("DELETE FROM backlog_by_score {only}"),
        format!("DELETE FROM backlog_by_status_score {only}"),
        format!(
            "INSERT INTO backlog_by_score (product_id, score, idea_id) \
             SELECT product_id, {UNSCORED}, idea_id FROM idea_primary_scores {only} \
             ORDER BY 1, 2, 3"
        ),
        format!(
            "INSERT INTO backlog_by_status_score (product_id, status, score, idea_id) \
             SELECT product_id, status, {UNSCORED}, idea_id FROM idea_primary_scores {only} \
             ORDER BY 1, 2, 3, 4"
        ),
    ] {
        db::exec(c, &sql, params![bind])?;
    }
    Ok(())
}

fn upsert_score(c: &Connection, s: &NewIdeaScore, product: ProductId) -> StoreResult<()> {
    let inputs = serde_json::to_string(&s.inputs).map_err(|e| StoreError::Other(e.to_string()))?;
    db::exec(
        c,
        &format!(
            "INSERT INTO idea_scores ({SCORE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) \
             ON CONFLICT (idea_id, framework) DO UPDATE SET inputs = excluded.inputs, \
             value = excluded.value, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at, version = idea_scores.version + 1"
        ),
        params![
            s.idea_id.0,
            s.framework.as_str(),
            s.workspace_id.0,
            product.0,
            inputs,
            s.value,
            s.updated_by.map(|m| m.0),
            us(s.now)
        ],
    )?;
    if s.framework == Framework::Scorecard {
        put_points(c, s.workspace_id, s.idea_id, product, &s.inputs)?;
    }
    Ok(())
}

/// The scorecard points of one idea, one row per criterion of the product.
fn put_points(
    c: &Connection,
    ws: WorkspaceId,
    idea: IdeaId,
    product: ProductId,
    inputs: &ScoreInputs,
) -> StoreResult<()> {
    db::exec(
        c,
        "DELETE FROM idea_criterion_points WHERE idea_id = ?",
        params![idea.0],
    )?;
    for (criterion, points) in &inputs.criteria {
        db::exec(
            c,
            "INSERT INTO idea_criterion_points (idea_id, criterion_id, workspace_id, points) \
             SELECT ?, id, ?, ? FROM scorecard_criteria WHERE id = ? AND product_id = ?",
            params![idea.0, ws.0, points, criterion, product.0],
        )?;
    }
    Ok(())
}

fn idea_product(c: &Connection, ws: WorkspaceId, idea: IdeaId) -> StoreResult<(ProductId, String)> {
    db::one(
        c,
        "SELECT product_id, rank FROM ideas WHERE id = ? AND workspace_id = ?",
        params![idea.0, ws.0],
        |r| Ok((ProductId(get(r, "product_id")?), get(r, "rank")?)),
    )
}

fn product_key(c: &Connection, ws: WorkspaceId, product: ProductId) -> StoreResult<String> {
    db::one(
        c,
        "SELECT key FROM products WHERE id = ? AND workspace_id = ?",
        params![product.0, ws.0],
        |r| get(r, "key"),
    )
}

/// The nearest key below `rank` in the product, the moved idea left out.
fn key_below(
    c: &Connection,
    product: ProductId,
    me: IdeaId,
    rank: Option<&str>,
) -> StoreResult<Option<String>> {
    match rank {
        Some(r) => db::opt(
            c,
            "SELECT rank FROM ideas WHERE product_id = ? AND rank < ? AND id <> ? \
             ORDER BY rank DESC LIMIT 1",
            params![product.0, r, me.0],
            |row| get(row, "rank"),
        ),
        None => db::opt(
            c,
            "SELECT rank FROM ideas WHERE product_id = ? AND rank IS NOT NULL AND id <> ? \
             ORDER BY rank DESC LIMIT 1",
            params![product.0, me.0],
            |row| get(row, "rank"),
        ),
    }
}

/// The nearest key above `rank` in the product, the moved idea left out.
fn key_above(
    c: &Connection,
    product: ProductId,
    me: IdeaId,
    rank: Option<&str>,
) -> StoreResult<Option<String>> {
    match rank {
        Some(r) => db::opt(
            c,
            "SELECT rank FROM ideas WHERE product_id = ? AND rank > ? AND id <> ? \
             ORDER BY rank LIMIT 1",
            params![product.0, r, me.0],
            |row| get(row, "rank"),
        ),
        None => db::opt(
            c,
            "SELECT rank FROM ideas WHERE product_id = ? AND rank IS NOT NULL AND id <> ? \
             ORDER BY rank LIMIT 1",
            params![product.0, me.0],
            |row| get(row, "rank"),
        ),
    }
}

fn rank_of_in(
    c: &Connection,
    ws: WorkspaceId,
    product: ProductId,
    idea: IdeaId,
) -> StoreResult<String> {
    db::one(
        c,
        "SELECT rank FROM ideas WHERE id = ? AND workspace_id = ? AND product_id = ?",
        params![idea.0, ws.0, product.0],
        |r| get(r, "rank"),
    )
}

/// The visible (not merged) neighbour of `rank`: the one before when `before`, else after.
fn visible_neighbour(
    c: &Connection,
    product: ProductId,
    rank: &str,
    before: bool,
) -> StoreResult<Option<String>> {
    let sql = if before {
        "SELECT rank FROM ideas WHERE product_id = ? AND rank < ? AND merged_into IS NULL \
         ORDER BY rank DESC LIMIT 1"
    } else {
        "SELECT rank FROM ideas WHERE product_id = ? AND rank > ? AND merged_into IS NULL \
         ORDER BY rank LIMIT 1"
    };
    db::opt(c, sql, params![product.0, rank], |r| get(r, "rank"))
}

fn move_in_tx(
    c: &Connection,
    ws: WorkspaceId,
    idea: IdeaId,
    to: MoveTo,
) -> StoreResult<RankedIdea> {
    let (product, mine) = idea_product(c, ws, idea)?;
    // (low, high): the keys the new one goes between; `None` for an open end.
    let bounds = match to {
        MoveTo::Top => Some((None, key_above(c, product, idea, None)?)),
        MoveTo::Bottom => Some((key_below(c, product, idea, None)?, None)),
        MoveTo::Before(other) if other == idea => None,
        MoveTo::After(other) if other == idea => None,
        MoveTo::Before(other) => {
            let r = rank_of_in(c, ws, product, other)?;
            Some((key_below(c, product, idea, Some(&r))?, Some(r)))
        }
        MoveTo::After(other) => {
            let r = rank_of_in(c, ws, product, other)?;
            Some((Some(r.clone()), key_above(c, product, idea, Some(&r))?))
        }
        MoveTo::Up => match visible_neighbour(c, product, &mine, true)? {
            Some(r) => Some((key_below(c, product, idea, Some(&r))?, Some(r))),
            None => None,
        },
        MoveTo::Down => match visible_neighbour(c, product, &mine, false)? {
            Some(r) => Some((Some(r.clone()), key_above(c, product, idea, Some(&r))?)),
            None => None,
        },
        MoveTo::Position(n) => {
            let at: Option<String> = db::opt(
                c,
                "SELECT rank FROM ideas WHERE product_id = ? AND merged_into IS NULL \
                 AND id <> ? ORDER BY rank LIMIT 1 OFFSET ?",
                params![product.0, idea.0, i64::from(n)],
                |r| get(r, "rank"),
            )?;
            match at {
                Some(r) => Some((key_below(c, product, idea, Some(&r))?, Some(r))),
                None => Some((key_below(c, product, idea, None)?, None)),
            }
        }
    };
    let Some((low, high)) = bounds else {
        return Ok(RankedIdea {
            id: idea,
            rank: mine,
        });
    };
    // At the bottom, stay below the key the next new idea will get: new ideas always land last.
    let high = match high {
        Some(h) => h,
        None => {
            let max: i64 = db::one(
                c,
                "SELECT coalesce(max(number), 0) AS n FROM ideas WHERE product_id = ?",
                params![product.0],
                |r| get(r, "n"),
            )?;
            default_rank(max + 1)
        }
    };
    let high = Some(high);
    let key = key_between(low.as_deref(), high.as_deref())
        .ok_or_else(|| StoreError::Other(format!("no key between {low:?} and {high:?}")))?;
    db::exec(
        c,
        "UPDATE ideas SET rank = ? WHERE id = ?",
        params![&key, idea.0],
    )?;
    Ok(RankedIdea {
        id: idea,
        rank: key,
    })
}

/// A status change of several ideas (see `ScoringStore::change_idea_statuses`) inside the
/// caller's transaction: a bulk change, or an accept or decline decision. Any error leaves the
/// caller's transaction to roll back, so nothing of it stays.
pub(crate) fn change_statuses_in_tx(c: &Connection, ch: &StatusChange) -> StoreResult<Vec<Idea>> {
    let ws = ch.workspace_id;
    let mut changed = Vec::with_capacity(ch.ideas.len());
    for (id, version) in &ch.ideas {
        let old = idea_in_tx(c, ws, *id)?;
        if old.product_id != ch.product_id {
            return Err(StoreError::NotFound);
        }
        if old.version != *version {
            return Err(StoreError::VersionConflict);
        }
        if old.status == ch.status {
            continue;
        }
        db::exec(
            c,
            "UPDATE ideas SET status = ?, updated_at = ?, version = version + 1 WHERE id = ?",
            params![ch.status.as_str(), us(ch.now), id.0],
        )?;
        record_change(
            c,
            &old,
            ch.actor,
            ch.now,
            "status",
            old.status.as_str(),
            ch.status.as_str(),
        )?;
        let idea = idea_in_tx(c, ws, *id)?;
        reindex_idea(c, &idea)?;
        changed.push(idea);
    }
    Ok(changed)
}

fn backlog_in_tx(
    c: &Connection,
    ws: WorkspaceId,
    product: ProductId,
    sort: BacklogSort,
    f: &BacklogFilter,
    page: &PageRequest,
) -> StoreResult<Page<BacklogItem>> {
    let key = product_key(c, ws, product)?;
    // The filters on the idea itself; the product and the status are the order's own columns
    // when sorted by score.
    let filters = |q: &mut Sql| {
        q.push(" AND i.merged_into IS NULL");
        if let Some(o) = f.owner {
            q.push(" AND i.owner_id = ").push_bind(o.0);
        }
        if let Some(t) = &f.tag {
            q.push(" AND EXISTS (SELECT 1 FROM idea_tags t WHERE t.idea_id = i.id AND t.tag = ")
                .push_bind(t.clone())
                .push(")");
        }
        if let Some(p) = f.persona {
            q.push(
                " AND EXISTS (SELECT 1 FROM persona_links l WHERE l.target_id = i.id \
                 AND l.persona_id = ",
            )
            .push_bind(p.0)
            .push(")");
        }
    };
    let limit = page.fetch_limit();
    let cursor = BacklogCursor::read(page);
    let Ok(cursor) = cursor else {
        return Ok(Page::from_rows(Vec::new(), page, |_| String::new()));
    };
    let map = backlog_row(&key);
    let rows = match sort {
        BacklogSort::Rank => {
            // The framework's name is one of ours, not the user's: written in the statement.
            let score = format!(
                "(SELECT s.value FROM idea_scores s WHERE s.idea_id = i.id \
                 AND s.framework = '{}')",
                primary_of(c, product)?.as_str()
            );
            let mut q = Sql::new(format!(
                "SELECT {BACKLOG_COLS}, {score} AS score FROM ideas i WHERE i.product_id = "
            ));
            q.push_bind(product.0);
            if let Some(s) = f.status {
                q.push(" AND i.status = ").push_bind(s.as_str());
            }
            filters(&mut q);
            if f.min_score.is_some() || f.max_score.is_some() {
                q.push(format!(" AND {score} BETWEEN "))
                    .push_bind(f.min_score.unwrap_or(f64::MIN))
                    .push(" AND ")
                    .push_bind(f.max_score.unwrap_or(f64::MAX));
            }
            if let Some(BacklogCursor::Rank(r)) = &cursor {
                q.push(" AND i.rank > ").push_bind(r.clone());
            }
            q.push(" ORDER BY i.rank LIMIT ").push_bind(limit);
            q.all(c, &map)?
        }
        BacklogSort::Score => {
            // One walk down the order, scored ideas first, then the unscored (-Infinity), both
            // newest first among equals.
            let mut q = Sql::new(format!("SELECT {BACKLOG_COLS}, o.score FROM "));
            match f.status {
                Some(s) => q
                    .push(
                        "backlog_by_status_score o JOIN ideas i ON i.id = o.idea_id \
                           WHERE o.product_id = ",
                    )
                    .push_bind(product.0)
                    .push(" AND o.status = ")
                    .push_bind(s.as_str()),
                None => q
                    .push(
                        "backlog_by_score o JOIN ideas i ON i.id = o.idea_id \
                           WHERE o.product_id = ",
                    )
                    .push_bind(product.0),
            };
            filters(&mut q);
            // A score range leaves the unscored out.
            if f.min_score.is_some() || f.max_score.is_some() {
                q.push(" AND o.score >= ")
                    .push_bind(f.min_score.unwrap_or(f64::MIN));
                q.push(" AND o.score <= ")
                    .push_bind(f.max_score.unwrap_or(f64::MAX));
            }
            let after = match &cursor {
                Some(BacklogCursor::Scored(s, id)) => Some((*s, *id)),
                Some(BacklogCursor::Unscored(id)) => Some((f64::NEG_INFINITY, *id)),
                _ => None,
            };
            if let Some((s, id)) = after {
                q.push(" AND (o.score, o.idea_id) < (")
                    .push_bind(s)
                    .push(", ")
                    .push_bind(id)
                    .push(")");
            }
            q.push(" ORDER BY o.score DESC, o.idea_id DESC LIMIT ")
                .push_bind(limit);
            q.all(c, &map)?
        }
    };
    Ok(Page::from_rows(rows, page, |item| {
        BacklogCursor::of(sort, item).write()
    }))
}

/// Where a backlog page starts: after a scored row, an unscored row, or a rank key.
enum BacklogCursor {
    Scored(f64, Uuid),
    Unscored(Uuid),
    Rank(String),
}

impl BacklogCursor {
    fn of(sort: BacklogSort, item: &BacklogItem) -> Self {
        match (sort, item.score) {
            (BacklogSort::Rank, _) => BacklogCursor::Rank(item.rank.clone()),
            (BacklogSort::Score, Some(s)) => BacklogCursor::Scored(s, item.id.0),
            (BacklogSort::Score, None) => BacklogCursor::Unscored(item.id.0),
        }
    }

    fn write(&self) -> String {
        match self {
            BacklogCursor::Scored(s, id) => format!("s|{s:?}|{id}"),
            BacklogCursor::Unscored(id) => format!("n|{id}"),
            BacklogCursor::Rank(r) => format!("r|{r}"),
        }
    }

    /// `Err(())` for a cursor we did not make (answered with an empty page).
    fn read(page: &PageRequest) -> Result<Option<Self>, ()> {
        let Some(c) = &page.after else {
            return Ok(None);
        };
        let mut parts = c.0.splitn(3, '|');
        let out = match (parts.next(), parts.next(), parts.next()) {
            (Some("s"), Some(s), Some(id)) => BacklogCursor::Scored(
                s.parse().map_err(|_| ())?,
                Uuid::parse_str(id).map_err(|_| ())?,
            ),
            (Some("n"), Some(id), None) => {
                BacklogCursor::Unscored(Uuid::parse_str(id).map_err(|_| ())?)
            }
            (Some("r"), Some(r), None) => BacklogCursor::Rank(r.to_owned()),
            _ => return Err(()),
        };
        Ok(Some(out))
    }
}

#[async_trait]
impl ScoringStore for SqliteStore {
    async fn scoring_settings(
        &self,
        ws: WorkspaceId,
        product: ProductId,
    ) -> StoreResult<ScoringSettings> {
        self.read_now(move |c| settings_in_tx(c, ws, product)).await
    }

    async fn put_scoring_settings(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        expected_version: i64,
        u: SettingsUpdate,
    ) -> StoreResult<ScoringSettings> {
        self.write_alone(move |c| {
            let current = settings_in_tx(c, ws, product)?;
            if current.version != expected_version {
                return Err(StoreError::VersionConflict);
            }
            db::exec(
                c,
                "INSERT INTO scoring_settings (product_id, workspace_id, primary_framework, \
                 updated_at, version) VALUES (?, ?, ?, ?, 1) ON CONFLICT (product_id) DO UPDATE \
                 SET primary_framework = excluded.primary_framework, \
                 updated_at = excluded.updated_at, version = scoring_settings.version + 1",
                params![product.0, ws.0, u.primary_framework.as_str(), us(u.now)],
            )?;
            for old in &current.criteria {
                if !u.criteria.iter().any(|n| n.id == old.id) {
                    db::exec(
                        c,
                        "DELETE FROM scorecard_criteria WHERE id = ?",
                        params![old.id],
                    )?;
                }
            }
            for (i, k) in u.criteria.iter().enumerate() {
                let changed = db::exec(
                    c,
                    "INSERT INTO scorecard_criteria (id, workspace_id, product_id, name, scale, \
                     weight, position) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE \
                     SET name = excluded.name, scale = excluded.scale, weight = excluded.weight, \
                     position = excluded.position WHERE scorecard_criteria.product_id = \
                     excluded.product_id",
                    params![k.id, ws.0, product.0, &k.name, k.scale, k.weight, i as i64],
                )?;
                if changed == 0 {
                    return Err(StoreError::NotFound);
                }
            }
            rescore_scorecard(c, product)?;
            // The order moves when the primary framework changes, or when the scorecard's
            // weights change under it.
            if current.primary_framework != u.primary_framework
                || u.primary_framework == Framework::Scorecard
            {
                rebuild_order(c, Some(product))?;
            }
            settings_in_tx(c, ws, product)
        })
        .await
    }

    async fn put_idea_score(&self, s: NewIdeaScore) -> StoreResult<IdeaScore> {
        self.write(move |c| {
            let (product, _) = idea_product(c, s.workspace_id, s.idea_id)?;
            let before = order_key(c, s.idea_id)?;
            upsert_score(c, &s, product)?;
            reorder(c, s.idea_id, &before)?;
            db::one(
                c,
                &format!(
                    "SELECT {SCORE_COLS} FROM idea_scores WHERE idea_id = ? AND framework = ?"
                ),
                params![s.idea_id.0, s.framework.as_str()],
                score_row,
            )
        })
        .await
    }

    async fn idea_scores(&self, ws: WorkspaceId, idea: IdeaId) -> StoreResult<Vec<IdeaScore>> {
        self.read_now(move |c| {
            idea_product(c, ws, idea)?;
            let mut out = db::all(
                c,
                &format!("SELECT {SCORE_COLS} FROM idea_scores WHERE idea_id = ?"),
                params![idea.0],
                score_row,
            )?;
            out.sort_by_key(|s| Framework::ALL.iter().position(|f| *f == s.framework));
            Ok(out)
        })
        .await
    }

    async fn delete_idea_score(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        framework: Framework,
    ) -> StoreResult<()> {
        self.write(move |c| {
            idea_product(c, ws, idea)?;
            let before = order_key(c, idea)?;
            let gone = db::exec(
                c,
                "DELETE FROM idea_scores WHERE idea_id = ? AND framework = ?",
                params![idea.0, framework.as_str()],
            )?;
            if gone == 0 {
                return Err(StoreError::NotFound);
            }
            if framework == Framework::Scorecard {
                db::exec(
                    c,
                    "DELETE FROM idea_criterion_points WHERE idea_id = ?",
                    params![idea.0],
                )?;
            }
            reorder(c, idea, &before)
        })
        .await
    }

    async fn import_idea_scores(&self, scores: Vec<NewIdeaScore>) -> StoreResult<u64> {
        self.write_alone(move |c| {
            for s in &scores {
                let (product, _) = idea_product(c, s.workspace_id, s.idea_id)?;
                let before = order_key(c, s.idea_id)?;
                upsert_score(c, s, product)?;
                reorder(c, s.idea_id, &before)?;
            }
            Ok(scores.len() as u64)
        })
        .await
    }

    async fn backlog(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        sort: BacklogSort,
        filter: &BacklogFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<BacklogItem>> {
        // Without a tag or persona filter the page is an index walk that stops at the page;
        // those two may read many ideas to fill it, off the async threads.
        let quick = filter.tag.is_none() && filter.persona.is_none();
        let filter = filter.clone();
        let page = page.clone();
        self.read_now_if(quick, move |c| {
            backlog_in_tx(c, ws, product, sort, &filter, &page)
        })
        .await
    }

    async fn move_idea(
        &self,
        ws: WorkspaceId,
        idea: IdeaId,
        to: MoveTo,
    ) -> StoreResult<RankedIdea> {
        self.write(move |c| move_in_tx(c, ws, idea, to)).await
    }

    async fn idea_rank(&self, ws: WorkspaceId, idea: IdeaId) -> StoreResult<RankedIdea> {
        self.read_now(move |c| {
            let (_, rank) = idea_product(c, ws, idea)?;
            Ok(RankedIdea { id: idea, rank })
        })
        .await
    }

    async fn change_idea_statuses(&self, change: StatusChange) -> StoreResult<Vec<Idea>> {
        // Up to a few hundred ideas: committed on its own rather than in a group.
        self.write_alone(move |c| change_statuses_in_tx(c, &change))
            .await
    }

    async fn value_effort_matrix(
        &self,
        ws: WorkspaceId,
        product: ProductId,
    ) -> StoreResult<Vec<MatrixPoint>> {
        self.read(move |c| {
            let key = product_key(c, ws, product)?;
            db::all(
                c,
                "SELECT s.idea_id, s.inputs, i.number, i.title FROM idea_scores s \
                 JOIN ideas i ON i.id = s.idea_id \
                 WHERE s.product_id = ? AND s.framework = 'value_effort' \
                 AND i.merged_into IS NULL ORDER BY s.value DESC, s.idea_id LIMIT ?",
                params![product.0, i64::from(MATRIX_LIMIT)],
                |r| {
                    let inputs: ScoreInputs = serde_json::from_str(&get::<String>(r, "inputs")?)
                        .map_err(|e| StoreError::Other(e.to_string()))?;
                    Ok(MatrixPoint {
                        id: IdeaId(get(r, "idea_id")?),
                        reference: idea_reference(&key, get(r, "number")?),
                        title: get(r, "title")?,
                        value: inputs.numbers.get("value").copied().unwrap_or(0.0),
                        effort: inputs.numbers.get("effort").copied().unwrap_or(0.0),
                    })
                },
            )
        })
        .await
    }

    async fn create_backlog_view(&self, v: BacklogView) -> StoreResult<BacklogView> {
        self.write(move |c| {
            check_product(c, v.workspace_id, v.product_id)?;
            insert_view(c, &v)?;
            Ok(v)
        })
        .await
    }

    async fn list_backlog_views(
        &self,
        ws: WorkspaceId,
        product: ProductId,
        member: MemberId,
    ) -> StoreResult<Vec<BacklogView>> {
        self.read_now(move |c| {
            db::all(
                c,
                &format!(
                    "SELECT {VIEW_COLS} FROM backlog_views WHERE product_id = ? AND \
                     workspace_id = ? AND (shared = 1 OR owner_id = ?) ORDER BY name, id"
                ),
                params![product.0, ws.0, member.0],
                view_row,
            )
        })
        .await
    }

    async fn get_backlog_view(&self, ws: WorkspaceId, id: Uuid) -> StoreResult<BacklogView> {
        self.read_now(move |c| {
            db::one(
                c,
                &format!("SELECT {VIEW_COLS} FROM backlog_views WHERE id = ? AND workspace_id = ?"),
                params![id, ws.0],
                view_row,
            )
        })
        .await
    }

    async fn update_backlog_view(
        &self,
        ws: WorkspaceId,
        id: Uuid,
        expected_version: i64,
        patch: BacklogViewPatch,
    ) -> StoreResult<BacklogView> {
        self.write(move |c| {
            let sql =
                format!("SELECT {VIEW_COLS} FROM backlog_views WHERE id = ? AND workspace_id = ?");
            let old = db::one(c, &sql, params![id, ws.0], view_row)?;
            if old.version != expected_version {
                return Err(StoreError::VersionConflict);
            }
            db::exec(
                c,
                "UPDATE backlog_views SET name = ?, shared = ?, version = version + 1 WHERE id = ?",
                params![
                    patch.name.as_ref().unwrap_or(&old.name),
                    patch.shared.unwrap_or(old.shared),
                    id
                ],
            )?;
            db::one(c, &sql, params![id, ws.0], view_row)
        })
        .await
    }

    async fn delete_backlog_view(&self, ws: WorkspaceId, id: Uuid) -> StoreResult<()> {
        self.write(move |c| {
            let gone = db::exec(
                c,
                "DELETE FROM backlog_views WHERE id = ? AND workspace_id = ?",
                params![id, ws.0],
            )?;
            if gone == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
        .await
    }
}

// --- moving data ----------------------------------------------------------------------------

pub(crate) fn dump(c: &Connection, d: &mut ScoringDump) -> StoreResult<()> {
    let products = db::all(
        c,
        "SELECT product_id, workspace_id FROM scoring_settings \
         UNION SELECT product_id, workspace_id FROM scorecard_criteria ORDER BY 1",
        [],
        |r| {
            Ok((
                ProductId(get(r, "product_id")?),
                WorkspaceId(get(r, "workspace_id")?),
            ))
        },
    )?;
    for (p, ws) in products {
        d.scoring_settings.push(settings_in_tx(c, ws, p)?);
    }
    d.idea_scores.extend(db::all(
        c,
        &format!("SELECT {SCORE_COLS} FROM idea_scores ORDER BY idea_id, framework"),
        [],
        score_row,
    )?);
    d.idea_ranks.extend(db::all(
        c,
        "SELECT id, rank FROM ideas ORDER BY id",
        [],
        |r| {
            Ok(IdeaRank {
                idea_id: IdeaId(get(r, "id")?),
                rank: get(r, "rank")?,
            })
        },
    )?);
    d.backlog_views.extend(db::all(
        c,
        &format!("SELECT {VIEW_COLS} FROM backlog_views ORDER BY id"),
        [],
        view_row,
    )?);
    Ok(())
}

/// Loads after the ideas: settings and criteria, scores and their points, each idea's rank
/// key (ideas without one keep the key of their number), then the backlog's score order.
pub(crate) fn load(c: &Connection, d: &ScoringDump) -> StoreResult<()> {
    for s in &d.scoring_settings {
        if let Some(at) = s.updated_at {
            db::exec(
                c,
                "INSERT INTO scoring_settings (product_id, workspace_id, primary_framework, \
                 updated_at, version) VALUES (?, ?, ?, ?, ?)",
                params![
                    s.product_id.0,
                    s.workspace_id.0,
                    s.primary_framework.as_str(),
                    us(at),
                    s.version
                ],
            )?;
        }
        for (i, k) in s.criteria.iter().enumerate() {
            db::exec(
                c,
                "INSERT INTO scorecard_criteria (id, workspace_id, product_id, name, scale, \
                 weight, position) VALUES (?, ?, ?, ?, ?, ?, ?)",
                params![
                    k.id,
                    s.workspace_id.0,
                    s.product_id.0,
                    &k.name,
                    k.scale,
                    k.weight,
                    i as i64
                ],
            )?;
        }
    }
    for s in &d.idea_scores {
        let inputs =
            serde_json::to_string(&s.inputs).map_err(|e| StoreError::Other(e.to_string()))?;
        db::exec(
            c,
            &format!("INSERT INTO idea_scores ({SCORE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            params![
                s.idea_id.0,
                s.framework.as_str(),
                s.workspace_id.0,
                s.product_id.0,
                inputs,
                s.value,
                s.updated_by.map(|m| m.0),
                us(s.updated_at),
                s.version
            ],
        )?;
        if s.framework == Framework::Scorecard {
            put_points(c, s.workspace_id, s.idea_id, s.product_id, &s.inputs)?;
        }
    }
    if !d.idea_ranks.is_empty() {
        db::exec(c, "UPDATE ideas SET rank = NULL", [])?;
        for r in &d.idea_ranks {
            db::exec(
                c,
                "UPDATE ideas SET rank = ? WHERE id = ?",
                params![&r.rank, r.idea_id.0],
            )?;
        }
        db::exec(
            c,
            "UPDATE ideas SET rank = printf('z%012dV', number) WHERE rank IS NULL",
            [],
        )?;
    }
    for v in &d.backlog_views {
        insert_view(c, v)?;
    }
    rebuild_order(c, None)
}
