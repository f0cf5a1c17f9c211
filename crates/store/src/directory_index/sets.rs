//! Sets of profile numbers: bit sets, sorted lists, and the words that point to them.

use std::collections::HashMap;

/// A set of profile numbers, one bit each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Bits {
    pub(super) words: Vec<u64>,
}

impl Bits {
    pub(super) fn empty(len: usize) -> Self {
        Bits {
            words: vec![0; len.div_ceil(64)],
        }
    }

    pub(super) fn full(len: usize) -> Self {
        let mut bits = Bits {
            words: vec![u64::MAX; len.div_ceil(64)],
        };
        if let Some(last) = bits.words.last_mut().filter(|_| !len.is_multiple_of(64)) {
            *last = (1u64 << (len % 64)) - 1;
        }
        bits
    }

    pub(super) fn insert(&mut self, doc: u32) {
        self.words[(doc / 64) as usize] |= 1 << (doc % 64);
    }

    pub(super) fn remove(&mut self, doc: u32) {
        self.words[(doc / 64) as usize] &= !(1 << (doc % 64));
    }

    pub(super) fn contains(&self, doc: u32) -> bool {
        self.words[(doc / 64) as usize] & (1 << (doc % 64)) != 0
    }

    pub(super) fn subtract(&mut self, other: &Bits) {
        for (mine, theirs) in self.words.iter_mut().zip(&other.words) {
            *mine &= !theirs;
        }
    }

    pub(super) fn intersect(&mut self, other: &Bits) {
        for (mine, theirs) in self.words.iter_mut().zip(&other.words) {
            *mine &= theirs;
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.words.iter().all(|word| *word == 0)
    }

    pub(super) fn count(&self) -> usize {
        self.words
            .iter()
            .map(|word| word.count_ones() as usize)
            .sum()
    }

    /// The numbers in the set, smallest first.
    pub(super) fn iter(&self) -> Ones<'_> {
        Ones {
            words: &self.words,
            index: 0,
            current: self.words.first().copied().unwrap_or(0),
        }
    }
}

pub(super) struct Ones<'a> {
    words: &'a [u64],
    index: usize,
    current: u64,
}

impl Iterator for Ones<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        loop {
            if self.current != 0 {
                let bit = self.current.trailing_zeros();
                self.current &= self.current - 1;
                return u32::try_from(self.index * 64).ok().map(|base| base + bit);
            }
            self.index += 1;
            self.current = *self.words.get(self.index)?;
        }
    }
}

/// The profiles one word or tag belongs to: a sorted list when few do, a bit set when
/// many do (whichever is smaller: a number costs 32 bits, a bit set one per profile).
#[derive(Debug)]
pub(super) enum Posting {
    Few(Vec<u32>),
    Many(Bits),
}

impl Posting {
    pub(super) fn new(docs: Vec<u32>, len: usize) -> Self {
        if docs.len() * 32 > len {
            let mut bits = Bits::empty(len);
            for doc in docs {
                bits.insert(doc);
            }
            Posting::Many(bits)
        } else {
            Posting::Few(docs)
        }
    }

    pub(super) fn add_to(&self, bits: &mut Bits) {
        match self {
            Posting::Few(docs) => docs.iter().for_each(|doc| bits.insert(*doc)),
            Posting::Many(many) => {
                for (mine, theirs) in bits.words.iter_mut().zip(&many.words) {
                    *mine |= theirs;
                }
            }
        }
    }

    pub(super) fn keep_only_in(&self, set: &mut Bits, len: usize) {
        match self {
            Posting::Many(many) => set.intersect(many),
            Posting::Few(docs) => {
                let mut kept = Bits::empty(len);
                for doc in docs.iter().filter(|doc| set.contains(**doc)) {
                    kept.insert(*doc);
                }
                *set = kept;
            }
        }
    }
}

/// Folded words and the profiles using each, sorted so that every word beginning with
/// a prefix sits in one run.
#[derive(Debug, Default)]
pub(super) struct Words {
    words: Vec<(String, Posting)>,
}

impl Words {
    pub(super) fn build(collected: HashMap<String, Vec<u32>>, len: usize) -> Self {
        let mut words: Vec<(String, Posting)> = collected
            .into_iter()
            .map(|(word, docs)| (word, Posting::new(docs, len)))
            .collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Words { words }
    }

    /// The profiles with a word beginning with `prefix` (as FTS5's `prefix*` and
    /// PostgreSQL's `prefix:*` read it).
    pub(super) fn beginning_with(&self, prefix: &str, len: usize) -> Bits {
        let mut bits = Bits::empty(len);
        let start = self
            .words
            .partition_point(|(word, _)| word.as_str() < prefix);
        for (_, posting) in self.words[start..]
            .iter()
            .take_while(|(word, _)| word.starts_with(prefix))
        {
            posting.add_to(&mut bits);
        }
        bits
    }
}

/// Adds each distinct word of a folded text to the profile's postings (profiles come in
/// number order, so every list stays sorted).
pub(super) fn collect_words(into: &mut HashMap<String, Vec<u32>>, text: &str, doc: u32) {
    let mut words: Vec<&str> = text.split(' ').filter(|word| !word.is_empty()).collect();
    words.sort_unstable();
    words.dedup();
    for word in words {
        match into.get_mut(word) {
            Some(docs) => docs.push(doc),
            None => {
                into.insert(word.to_owned(), vec![doc]);
            }
        }
    }
}
