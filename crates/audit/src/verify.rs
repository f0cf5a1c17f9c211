//! Verification: reading a trail in stored order and finding the first bad row.
//!
//! The [`Verifier`] keeps only the last verified position and at most one suspect row, so a
//! trail of any length verifies in constant memory, from a blocking iterator
//! ([`AuditChain::verify`](crate::AuditChain::verify)) or an async database stream (call
//! [`Verifier::check`] per row, then [`Verifier::finish`]).
//!
//! For each row it asks: is it authentic (its hash is the MAC of its contents and previous
//! hash under the key), is it the next number, and does it link to the last verified row?
//! Two questions need one row of look-ahead, so a break may be reported when the row after
//! it arrives:
//! - a row that fails its hash followed by the genuine row expected at its place was
//!   *inserted*; otherwise it was *altered*;
//! - a genuine row that skips ahead followed by a lower row means rows were *reordered*;
//!   otherwise the rows skipped are *missing* (deleted, or moved further down).
//!
//! At the end the last row is compared with the sealed head, which catches a cut tail.

use crate::{
    AuditChain, AuditRecord, ChainBreak, ChainHash, ChainPosition, InvalidField, SealedHead,
};

/// What a trail that verified holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifiedChain {
    /// How many rows verified.
    pub count: u64,
    /// The last row's sequence number (0 for an empty trail).
    pub last_seq: u64,
    /// The last row's hash: worth printing, so an owner can keep it as a checkpoint.
    pub last_hash: ChainHash,
}

/// Verifies a trail fed to it one row at a time, in stored order.
///
/// ```
/// # use sensate_audit::{AuditChain, ChainBreak, VerifiedChain};
/// # fn run(chain: &AuditChain, rows: Vec<sensate_audit::AuditRecord>, head: Option<sensate_audit::SealedHead>) -> Result<VerifiedChain, ChainBreak> {
/// let mut verifier = chain.verifier(head);
/// for row in &rows {
///     verifier.check(row)?;
/// }
/// verifier.finish()
/// # }
/// ```
#[derive(Debug)]
pub struct Verifier<'c> {
    chain: &'c AuditChain,
    head: Option<SealedHead>,
    verified: ChainPosition,
    suspect: Option<Suspect>,
    broken: Option<ChainBreak>,
}

/// A row that is wrong in a way the next row explains.
#[derive(Clone, Copy, Debug)]
enum Suspect {
    /// A row whose hash does not match: inserted or altered.
    Unauthentic,
    /// A genuine row numbered `found`, beyond the next: rows reordered, or missing.
    SkipsAhead { found: u64 },
}

/// What came after a suspect row.
#[derive(Clone, Copy)]
enum Next<'r> {
    Row(&'r AuditRecord),
    Unreadable,
    End,
}

impl<'c> Verifier<'c> {
    pub(crate) fn new(chain: &'c AuditChain, head: Option<SealedHead>) -> Self {
        Self {
            chain,
            head,
            verified: ChainPosition::GENESIS,
            suspect: None,
            broken: None,
        }
    }

    /// Checks the next row in stored order.
    ///
    /// # Errors
    /// The first break, possibly found at the row before this one (see the module docs).
    /// After a break every call returns it again; stop reading.
    pub fn check(&mut self, record: &AuditRecord) -> Result<(), ChainBreak> {
        if let Some(broken) = &self.broken {
            return Err(broken.clone());
        }
        if let Some(suspect) = self.suspect.take() {
            return Err(self.fail(self.explain(suspect, Next::Row(record))));
        }
        let row = self.next_seq();
        if !self.chain.is_authentic(record) {
            if row == 1 && self.head_is_forged() {
                return Err(self.fail(ChainBreak::WrongKey));
            }
            self.suspect = Some(Suspect::Unauthentic);
            return Ok(());
        }
        match record.seq.cmp(&row) {
            std::cmp::Ordering::Equal if record.prev_hash == self.verified.hash => {
                self.verified = record.position();
                Ok(())
            }
            std::cmp::Ordering::Equal => Err(self.fail(ChainBreak::Forked { row })),
            std::cmp::Ordering::Less => Err(self.fail(ChainBreak::Duplicated {
                row,
                seq: record.seq,
            })),
            std::cmp::Ordering::Greater => {
                self.suspect = Some(Suspect::SkipsAhead { found: record.seq });
                Ok(())
            }
        }
    }

    /// Reports the next row as unreadable: the storage layer could not turn its stored values
    /// into an [`AuditRecord`] (an unknown code, a hash of the wrong length, a negative
    /// sequence number). Returns the break to report, which is an earlier one if the row
    /// before was already suspect.
    pub fn unreadable(&mut self, reason: InvalidField) -> ChainBreak {
        if let Some(broken) = &self.broken {
            return broken.clone();
        }
        let found = match self.suspect.take() {
            Some(suspect) => self.explain(suspect, Next::Unreadable),
            None => ChainBreak::Unreadable {
                row: self.next_seq(),
                reason,
            },
        };
        self.fail(found)
    }

    /// Ends verification once every row has been checked, comparing the last row with the
    /// head.
    ///
    /// # Errors
    /// The first break: one found earlier, a suspect last row, or a head that is forged,
    /// missing, ahead of the rows (a cut tail) or behind them (an old head put back).
    pub fn finish(mut self) -> Result<VerifiedChain, ChainBreak> {
        if let Some(broken) = self.broken {
            return Err(broken);
        }
        if let Some(suspect) = self.suspect.take() {
            return Err(self.explain(suspect, Next::End));
        }
        let last = self.verified;
        let verified = VerifiedChain {
            count: last.seq,
            last_seq: last.seq,
            last_hash: last.hash,
        };
        let Some(head) = self.head else {
            return if last.seq == 0 {
                Ok(verified)
            } else {
                Err(ChainBreak::HeadMissing { last_seq: last.seq })
            };
        };
        if !self.chain.head_is_authentic(&head) {
            return Err(ChainBreak::HeadForged);
        }
        match head.seq.cmp(&last.seq) {
            std::cmp::Ordering::Greater => Err(ChainBreak::Truncated {
                last_seq: last.seq,
                head_seq: head.seq,
            }),
            std::cmp::Ordering::Less => Err(ChainBreak::HeadBehind {
                head_seq: head.seq,
                last_seq: last.seq,
            }),
            std::cmp::Ordering::Equal if head.hash != last.hash => {
                Err(ChainBreak::HeadMismatch { row: last.seq })
            }
            std::cmp::Ordering::Equal => Ok(verified),
        }
    }

    /// The sequence number the next row must have.
    fn next_seq(&self) -> u64 {
        self.verified.seq.saturating_add(1)
    }

    fn head_is_forged(&self) -> bool {
        self.head
            .is_some_and(|head| !self.chain.head_is_authentic(&head))
    }

    /// Names the break a suspect row is, given what followed it.
    fn explain(&self, suspect: Suspect, next: Next<'_>) -> ChainBreak {
        let row = self.next_seq();
        match suspect {
            Suspect::Unauthentic => {
                let genuine_row_follows = match next {
                    Next::Row(next) => {
                        next.seq == row
                            && next.prev_hash == self.verified.hash
                            && self.chain.is_authentic(next)
                    }
                    Next::End => self.head.is_some_and(|head| {
                        head.position() == self.verified && self.chain.head_is_authentic(&head)
                    }),
                    Next::Unreadable => false,
                };
                if genuine_row_follows {
                    ChainBreak::Inserted { row }
                } else {
                    ChainBreak::Altered { row }
                }
            }
            Suspect::SkipsAhead { found } => match next {
                Next::Row(next) if next.seq < found => ChainBreak::Reordered { row, found },
                _ => ChainBreak::Missing {
                    first: row,
                    last: found.saturating_sub(1),
                },
            },
        }
    }

    fn fail(&mut self, found: ChainBreak) -> ChainBreak {
        self.broken = Some(found.clone());
        found
    }
}
