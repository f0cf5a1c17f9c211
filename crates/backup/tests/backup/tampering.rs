//! Every way of changing a backup is refused, and reported as the right kind of failure.
//!
//! The rule (`docs/backup.md`): reading goes front to back and reports the first problem. A file
//! that ends early with everything before the end intact is `Truncated`; a changed first 15 bytes
//! is `NotABackup`; anything else changed, added or moved is `Altered`.

use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::Index;
use sensate_backup::BackupError;

use crate::support::{CHUNK, HEADER, Keys, TAG, back_up, chunk_start, kind, random_bytes, restore};

/// A backup made once for the whole module, with the key file that opens it.
struct Sample {
    keys: Keys,
    backup: Vec<u8>,
}

impl Sample {
    fn new(len: usize) -> Self {
        let keys = Keys::new();
        let backup = back_up(&keys.file, &random_bytes(len));
        Self { keys, backup }
    }

    fn refusal(&self, backup: &[u8]) -> String {
        match restore(&self.keys.file, backup) {
            Ok(_) => "accepted".to_owned(),
            Err(error) => kind(&error),
        }
    }

    /// Chunk `index`, tag included.
    fn chunk(&self, index: usize) -> std::ops::Range<usize> {
        let end = (chunk_start(index) + CHUNK + TAG).min(self.backup.len());
        chunk_start(index)..end
    }
}

/// Two full chunks and a short last one.
const SAMPLE_LEN: usize = 2 * CHUNK + 1000;
static SAMPLE: LazyLock<Sample> = LazyLock::new(|| Sample::new(SAMPLE_LEN));
/// One full chunk and a short last one: enough for every kind of random tampering, and half the
/// work per case (debug builds run the cipher unoptimised).
static SMALL_SAMPLE: LazyLock<Sample> = LazyLock::new(|| Sample::new(CHUNK + 1000));
const SMALL_SAMPLE_CHUNKS: usize = 2;

fn refusal(backup: &[u8]) -> String {
    SAMPLE.refusal(backup)
}

fn chunk(index: usize) -> std::ops::Range<usize> {
    SAMPLE.chunk(index)
}

#[test]
fn the_sample_restores_untouched() {
    assert_eq!(SAMPLE.backup.len(), HEADER + SAMPLE_LEN + 3 * TAG);
    assert_eq!(refusal(&SAMPLE.backup), "accepted");
}

#[test]
fn a_flipped_byte_is_refused_wherever_it_is() {
    let len = SAMPLE.backup.len();
    // Every header byte, the edges of every chunk and tag, and a stride through the rest.
    let mut positions: Vec<usize> = (0..HEADER).collect();
    for index in 0..3 {
        let range = chunk(index);
        positions.extend([
            range.start,
            range.start + 1,
            range.end - TAG - 1,
            range.end - TAG,
        ]);
        positions.extend(range.end - TAG..range.end);
    }
    positions.extend((HEADER..len).step_by(997));
    for at in positions {
        for mask in [0x01, 0x80, 0xFF] {
            let mut changed = SAMPLE.backup.clone();
            changed[at] ^= mask;
            let expected = if at < 15 { "NotABackup" } else { "Altered" };
            assert_eq!(refusal(&changed), expected, "byte {at} ^ {mask:#x}");
        }
    }
}

#[test]
fn a_backup_cut_at_any_chunk_boundary_is_truncated() {
    for cut in [HEADER, chunk_start(1), chunk_start(2)] {
        assert_eq!(refusal(&SAMPLE.backup[..cut]), "Truncated", "cut at {cut}");
    }
}

#[test]
fn a_backup_cut_inside_the_header_or_a_chunk_is_truncated() {
    let len = SAMPLE.backup.len();
    let mut cuts: Vec<usize> = (1..HEADER).collect();
    for index in 0..3 {
        let range = chunk(index);
        cuts.extend([
            range.start + 1,
            range.start + 1000,
            range.end - TAG,
            range.end - 1,
        ]);
    }
    cuts.extend((HEADER..len).step_by(4099));
    for cut in cuts {
        assert_eq!(refusal(&SAMPLE.backup[..cut]), "Truncated", "cut at {cut}");
    }
    assert_eq!(refusal(&[]), "Empty");
}

#[test]
fn bytes_appended_after_the_last_chunk_are_refused() {
    for extra in [&[0u8][..], b"garbage", &SAMPLE.backup[chunk(2)]] {
        let mut longer = SAMPLE.backup.clone();
        longer.extend_from_slice(extra);
        assert_eq!(refusal(&longer), "Altered", "{} bytes", extra.len());
    }
}

#[test]
fn two_chunks_swapped_are_refused() {
    let (first, second) = (chunk(0), chunk(1));
    let mut swapped = SAMPLE.backup[..first.start].to_vec();
    swapped.extend_from_slice(&SAMPLE.backup[second.clone()]);
    swapped.extend_from_slice(&SAMPLE.backup[first]);
    swapped.extend_from_slice(&SAMPLE.backup[second.end..]);
    assert_eq!(swapped.len(), SAMPLE.backup.len());
    assert_eq!(refusal(&swapped), "Altered");
}

#[test]
fn a_dropped_chunk_followed_by_a_whole_chunk_is_altered() {
    let mut dropped = SAMPLE.backup.clone();
    dropped.drain(chunk(0));
    assert_eq!(refusal(&dropped), "Altered");
}

#[test]
fn a_dropped_chunk_followed_only_by_a_shorter_one_reads_as_a_file_that_ends_early() {
    // What is left where chunk 1 should be is too short to be it: the file ends before chunk 1
    // does, and every chunk before that point is intact, which is what `Truncated` means.
    for drop in [1, 2] {
        let mut dropped = SAMPLE.backup.clone();
        dropped.drain(chunk(drop));
        assert_eq!(refusal(&dropped), "Truncated", "chunk {drop} dropped");
    }
}

#[test]
fn a_repeated_chunk_is_refused() {
    let mut repeated = SAMPLE.backup[..chunk(1).end].to_vec();
    repeated.extend_from_slice(&SAMPLE.backup[chunk(1)]);
    repeated.extend_from_slice(&SAMPLE.backup[chunk(2)]);
    assert_eq!(refusal(&repeated), "Altered");
}

#[test]
fn a_body_moved_under_another_backups_header_is_refused() {
    let other = back_up(&SAMPLE.keys.file, &random_bytes(SAMPLE_LEN));
    let mut spliced = other[..HEADER].to_vec();
    spliced.extend_from_slice(&SAMPLE.backup[HEADER..]);
    assert_eq!(refusal(&spliced), "Altered");
}

/// One way of changing the sample backup, and what it must be reported as.
#[derive(Debug, Clone)]
enum Tampering {
    Flip { at: Index, mask: u8 },
    Overwrite { at: Index, bytes: Vec<u8> },
    Cut { at: Index },
    Append { bytes: Vec<u8> },
    Insert { at: Index, bytes: Vec<u8> },
    Remove { at: Index, len: usize },
    SwapChunks { first: usize, second: usize },
    RepeatChunk { which: usize },
}

impl Tampering {
    /// The changed backup, and the failures it may be reported as.
    fn apply(&self, sample: &Sample) -> (Vec<u8>, &'static [&'static str]) {
        let original = sample.backup.as_slice();
        let mut bytes = original.to_vec();
        let magic_or = |at: usize, otherwise| {
            if at < 15 {
                &["NotABackup"][..]
            } else {
                otherwise
            }
        };
        let expected = match self {
            Self::Flip { at, mask } => {
                let at = at.index(bytes.len());
                bytes[at] ^= mask;
                magic_or(at, &["Altered"])
            }
            Self::Overwrite { at, bytes: new } => {
                let at = at.index(bytes.len());
                let end = (at + new.len()).min(bytes.len());
                bytes[at..end].copy_from_slice(&new[..end - at]);
                let first_change = (at..end).find(|&i| bytes[i] != original[i]).unwrap_or(at);
                magic_or(first_change, &["Altered"])
            }
            Self::Cut { at } => {
                bytes.truncate(at.index(bytes.len()));
                if bytes.is_empty() {
                    &["Empty"]
                } else {
                    &["Truncated"]
                }
            }
            Self::Append { bytes: extra } => {
                bytes.extend_from_slice(extra);
                &["Altered"]
            }
            // Bytes shifted in or out of the middle: which failure comes first depends on where.
            Self::Insert { at, bytes: new } => {
                let at = at.index(bytes.len());
                bytes.splice(at..at, new.iter().copied());
                &["NotABackup", "Altered"]
            }
            Self::Remove { at, len } => {
                let at = at.index(bytes.len());
                bytes.drain(at..(at + len).min(bytes.len()));
                &["NotABackup", "Altered", "Truncated", "Empty"]
            }
            Self::SwapChunks { first, second } => {
                let (a, b) = (
                    sample.chunk(*first.min(second)),
                    sample.chunk(*first.max(second)),
                );
                let mut swapped = bytes[..a.start].to_vec();
                swapped.extend_from_slice(&bytes[b.clone()]);
                swapped.extend_from_slice(&bytes[a.end..b.start]);
                swapped.extend_from_slice(&bytes[a]);
                swapped.extend_from_slice(&bytes[b.end..]);
                bytes = swapped;
                &["Altered"]
            }
            Self::RepeatChunk { which } => {
                let range = sample.chunk(*which);
                let copy = bytes[range.clone()].to_vec();
                bytes.splice(range.end..range.end, copy);
                &["Altered"]
            }
        };
        (bytes, expected)
    }
}

fn tampering() -> impl Strategy<Value = Tampering> {
    let some_bytes = || prop::collection::vec(any::<u8>(), 1..64);
    prop_oneof![
        (any::<Index>(), 1..=255u8).prop_map(|(at, mask)| Tampering::Flip { at, mask }),
        (any::<Index>(), some_bytes()).prop_map(|(at, bytes)| Tampering::Overwrite { at, bytes }),
        any::<Index>().prop_map(|at| Tampering::Cut { at }),
        some_bytes().prop_map(|bytes| Tampering::Append { bytes }),
        (any::<Index>(), some_bytes()).prop_map(|(at, bytes)| Tampering::Insert { at, bytes }),
        (any::<Index>(), 1..100_000usize).prop_map(|(at, len)| Tampering::Remove { at, len }),
        (0..SMALL_SAMPLE_CHUNKS, 0..SMALL_SAMPLE_CHUNKS)
            .prop_filter("two different chunks", |(a, b)| a != b)
            .prop_map(|(first, second)| Tampering::SwapChunks { first, second }),
        (0..SMALL_SAMPLE_CHUNKS).prop_map(|which| Tampering::RepeatChunk { which }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn any_tampering_is_refused_and_reported_as_what_it_is(tampering in tampering()) {
        let (changed, expected) = tampering.apply(&SMALL_SAMPLE);
        prop_assume!(changed != SMALL_SAMPLE.backup);
        let refused_as = SMALL_SAMPLE.refusal(&changed);
        prop_assert!(
            expected.contains(&refused_as.as_str()),
            "{tampering:?} was reported as {refused_as}, expected one of {expected:?}"
        );
    }
}

#[test]
fn restoring_never_hands_over_a_byte_of_a_chunk_that_failed() {
    let mut changed = SAMPLE.backup.clone();
    changed[chunk(1).start + 10] ^= 1;
    let mut restored = Vec::new();
    let error =
        sensate_backup::read_backup(changed.as_slice(), &mut restored, &SAMPLE.keys.file, |_| {})
            .unwrap_err();
    assert!(matches!(error, BackupError::Altered));
    assert_eq!(
        restored.len(),
        CHUNK,
        "only the chunk before the damage was written"
    );
}
