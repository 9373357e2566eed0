//! Multi-row statements for the batch writers: a batch becomes a few `INSERT … VALUES (…), (…)`
//! statements of fixed shapes instead of one statement per row.

/// A statement's parameters, in bytes. sqlx 0.9.0 leaves Nagle's algorithm on (its issue
/// #4335), and a statement whose tail goes out in a second write waits for the server's delayed
/// ACK (40 ms). Measured on loopback PostgreSQL with the signature and ballot writers: 12 KB
/// keeps both clear of the stall (24 KB stalled the ballots, 6 KB the signatures); setting
/// TCP_NODELAY on the connection is the real cure once sqlx allows it again.
pub const BYTES_PER_STATEMENT: usize = 12 * 1024;

/// Rows per multi-row statement; 13 parameters a row stays under SQLite's 32,766.
pub const ROWS_PER_STATEMENT: usize = 500;

/// Slices of `rows` whose sizes (plus a row's overhead) add up to at most
/// [`BYTES_PER_STATEMENT`] (one row at least) and at most [`ROWS_PER_STATEMENT`] rows, each
/// slice a power of two long: a few statement texts, each prepared once per connection,
/// instead of a new one for every count.
pub fn by_size<T>(rows: &[T], size: impl Fn(&T) -> usize) -> Vec<&[T]> {
    let mut out = vec![];
    let (mut start, mut bytes) = (0, 0);
    for (i, row) in rows.iter().enumerate() {
        let n = size(row) + 64;
        if i > start && (bytes + n > BYTES_PER_STATEMENT || i - start >= ROWS_PER_STATEMENT) {
            out.push(&rows[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += n;
    }
    if start < rows.len() {
        out.push(&rows[start..]);
    }
    out.into_iter()
        .flat_map(|mut slice| {
            let mut parts = vec![];
            while !slice.is_empty() {
                let n = 1 << slice.len().ilog2();
                parts.push(&slice[..n]);
                slice = &slice[n..];
            }
            parts
        })
        .collect()
}

/// `head` + `rows` groups of `per_row` numbered parameters (from `$first`) + `tail`.
pub fn values_sql(head: &str, rows: usize, per_row: usize, tail: &str) -> String {
    values_sql_from(head, 1, rows, per_row, tail)
}

/// Like [`values_sql`], numbering the parameters from `first` (the ones before are the
/// statement's own, such as the community).
pub fn values_sql_from(head: &str, first: usize, rows: usize, per_row: usize, tail: &str) -> String {
    let mut sql = String::with_capacity(head.len() + tail.len() + rows * per_row * 5);
    sql.push_str(head);
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ",(" });
        for c in 0..per_row {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", first + r * per_row + c));
        }
        sql.push(')');
    }
    sql.push_str(tail);
    sql
}

/// `$first, $first+1, …` for `n` parameters, for an `IN (…)` list.
pub fn params_from(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_cut_by_size_and_keep_every_row() {
        let b = BYTES_PER_STATEMENT;
        let rows: Vec<usize> = vec![b * 5 / 12, b * 5 / 12, b * 5 / 12, b * 5 / 4, 5, 5];
        let chunks = by_size(&rows, |n| *n);
        let lens: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
        assert_eq!(lens, vec![2, 1, 1, 2]);
        assert_eq!(chunks.concat(), rows);
        let many = by_size(&[1usize; 37], |n| *n);
        assert_eq!(many.iter().map(|c| c.len()).collect::<Vec<_>>(), vec![32, 4, 1]);
    }

    #[test]
    fn statements_have_a_few_fixed_shapes() {
        let rows: Vec<usize> = (0..13).collect();
        let sizes: Vec<usize> = by_size(&rows, |_| 0).iter().map(|s| s.len()).collect();
        assert_eq!(sizes, vec![8, 4, 1]);
        let big: Vec<usize> = (0..3).collect();
        assert_eq!(by_size(&big, |_| BYTES_PER_STATEMENT).len(), 3, "one row at least per statement");
        assert_eq!(values_sql("INSERT INTO t VALUES ", 2, 2, ""), "INSERT INTO t VALUES ($1, $2),($3, $4)");
        assert_eq!(values_sql_from("V ", 3, 1, 2, " X"), "V ($3, $4) X");
        assert_eq!(params_from(2, 3), "$2, $3, $4");
    }
}
