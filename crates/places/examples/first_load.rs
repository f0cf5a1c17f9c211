//! How long the first use of the gazetteer takes, and how long a lookup takes after.
//!
//! `cargo run --release -p sensate-places --example first_load`

use std::hint::black_box;
use std::time::Instant;

use sensate_places::Gazetteer;

fn main() {
    let started = Instant::now();
    let gazetteer = Gazetteer::builtin();
    let loaded = started.elapsed();
    println!("first load: {loaded:.1?}");

    let queries = [
        "60614",
        "Springfield",
        "Portland, OR",
        "São Paulo",
        "Nowhere Special",
        "10001-1234",
    ];
    let rounds = 20_000;
    let started = Instant::now();
    for _ in 0..rounds {
        for query in queries {
            let _ = black_box(gazetteer.resolve(black_box(query)));
        }
    }
    let per_lookup = started.elapsed() / (rounds * queries.len() as u32);
    println!(
        "one lookup (mean of {} mixed queries): {per_lookup:.2?}",
        rounds * queries.len() as u32
    );
}
