//! Feedback items handed to a store in chunks while a file is still being read, so that an
//! import never holds every item of a large file at once (issue #3: peak memory under four
//! times the file) and the store writes one chunk while the next is read and checked. The
//! reader's thread also works out each item's search terms as it sends it: the store's one
//! writer is an import's bottleneck, and analysis was a sixth of its time.
//!
//! The store commits only when the reader says the file is complete
//! ([`FeedbackFeedSender::finish`]). A reader that stops without saying so — a bad row, a
//! panic, a request that went away — leaves nothing stored: imports stay all-or-nothing.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use crate::{feedback_search_text, NewFeedback, StoreError, StoreResult};

/// Items per chunk: large enough that handing over costs nothing next to writing them, small
/// enough that a few chunks in flight are a few megabytes.
pub const FEED_CHUNK: usize = 1_000;

/// A feedback item and the terms it is found by ([`feedback_search_text`]).
pub type AnalyzedFeedback = (NewFeedback, String);

/// Works out every item's search terms (Markdown to text, stemming).
pub fn analyze_feedback(items: Vec<NewFeedback>) -> Vec<AnalyzedFeedback> {
    items
        .into_iter()
        .map(|n| {
            let terms = feedback_search_text(
                &n.text,
                n.customer.as_ref().map(|c| c.name.as_str()),
                &n.tags,
            );
            (n, terms)
        })
        .collect()
}

enum Chunk {
    Items(Vec<AnalyzedFeedback>),
    Complete,
}

/// The store's end of a feed.
pub struct FeedbackFeed {
    chunks: Receiver<Chunk>,
}

/// The reader's end of a feed.
pub struct FeedbackFeedSender {
    chunks: SyncSender<Chunk>,
}

/// The store stopped reading the feed (it failed, and says why to whoever awaits it).
#[derive(Debug)]
pub struct FeedClosed;

/// A feed holding at most `ahead` chunks that the store has not taken yet: the reader waits
/// beyond that.
pub fn feedback_feed(ahead: usize) -> (FeedbackFeedSender, FeedbackFeed) {
    let (tx, rx) = sync_channel(ahead);
    (
        FeedbackFeedSender { chunks: tx },
        FeedbackFeed { chunks: rx },
    )
}

impl FeedbackFeedSender {
    /// Analyzes the items (on the caller's thread) and hands them over, waiting while the
    /// store has enough chunks ahead.
    pub fn send(&self, items: Vec<NewFeedback>) -> Result<(), FeedClosed> {
        self.chunks
            .send(Chunk::Items(analyze_feedback(items)))
            .map_err(|_| FeedClosed)
    }

    /// Every item was sent: the store may commit.
    pub fn finish(self) -> Result<(), FeedClosed> {
        self.chunks.send(Chunk::Complete).map_err(|_| FeedClosed)
    }
}

impl FeedbackFeed {
    /// The next chunk, waiting for it (call it off the async threads): `None` once the reader
    /// finished, an error when it stopped short.
    pub fn next_blocking(&self) -> StoreResult<Option<Vec<AnalyzedFeedback>>> {
        match self.chunks.recv() {
            Ok(Chunk::Items(items)) => Ok(Some(items)),
            Ok(Chunk::Complete) => Ok(None),
            Err(_) => Err(StoreError::Other(
                "the import stopped before the end of its file".into(),
            )),
        }
    }

    /// Every item, for a store that writes them in one go.
    pub fn collect_blocking(self) -> StoreResult<Vec<AnalyzedFeedback>> {
        let mut all = Vec::new();
        while let Some(items) = self.next_blocking()? {
            all.extend(items);
        }
        Ok(all)
    }
}
