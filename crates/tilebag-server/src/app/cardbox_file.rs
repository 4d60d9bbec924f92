//! Zyzzyva quiz databases as files: reading an uploaded one into rows, and writing one.
//!
//! An upload is written to a private temporary file (created readable by this user only)
//! and opened read-only and immutable with sqlx's SQLite driver, so nothing in it is changed
//! and no journal is looked for. Only a real table named `questions` is read (a view could
//! compute rows without end), at most a bounded number of rows. Each number column is read
//! as text and made whole here, since files written by other tools hold floats or strings
//! where Zyzzyva writes integers.

use std::io::Write;
use std::path::Path;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection, Row};
use tilebag_study::review::CardboxRow;

use super::ServiceError;

/// The columns of Zyzzyva's table after `question`, in its order.
const NUMBERS: [&str; 7] = [
    "correct",
    "incorrect",
    "streak",
    "last_correct",
    "difficulty",
    "cardbox",
    "next_scheduled",
];

/// How a file's table is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Zyzzyva 0.14 and later: with `cardbox` and `next_scheduled`.
    Modern,
    /// Before Zyzzyva 0.14: no cardbox, so every question comes in as a new card.
    BeforeCardboxes,
}

/// A file's rows, each numbered from 1 in the table's order: the row, or why it cannot be
/// read.
#[derive(Debug)]
pub struct Rows {
    /// The table's layout.
    pub shape: Shape,
    /// Row number and row (or the reason it was skipped).
    pub rows: Vec<(usize, Result<CardboxRow, String>)>,
}

fn not_sqlite() -> ServiceError {
    ServiceError::invalid(
        "the file is not a SQLite database; choose a Zyzzyva quiz database such as “Anagrams.db”",
    )
}

fn failed(what: &str, error: &impl std::fmt::Display) -> ServiceError {
    ServiceError::invalid(format!("the file could not be read ({what}: {error})"))
}

/// Reads the `questions` table of an uploaded file, at most `limit` rows (more is refused).
pub async fn read(bytes: &[u8], limit: usize) -> Result<Rows, ServiceError> {
    let owned = bytes.to_vec();
    let file = tokio::task::spawn_blocking(move || {
        let mut file = tempfile::NamedTempFile::new()?;
        file.write_all(&owned)?;
        file.flush()?;
        Ok::<_, std::io::Error>(file)
    })
    .await
    .map_err(|e| ServiceError::Document(format!("writing the upload stopped: {e}")))?
    .map_err(|e| ServiceError::Document(format!("cannot write the upload to a file: {e}")))?;
    let mut conn = SqliteConnectOptions::new()
        .filename(file.path())
        .read_only(true)
        .immutable(true)
        .connect()
        .await
        .map_err(|_| not_sqlite())?;
    let rows = read_table(&mut conn, limit).await;
    let _ = conn.close().await;
    rows
}

async fn read_table(conn: &mut SqliteConnection, limit: usize) -> Result<Rows, ServiceError> {
    let tables = sqlx::query(
        "SELECT name, type FROM sqlite_master WHERE lower(name) = 'questions' AND type IN ('table', 'view')",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(|_| not_sqlite())?;
    let table: String = match tables.first() {
        Some(row) if row.try_get::<String, _>("type").is_ok_and(|t| t == "table") => row
            .try_get("name")
            .map_err(|e| failed("the table's name", &e))?,
        Some(_) => {
            return Err(ServiceError::invalid(
                "“questions” is a view in this file, not a table; export the quiz from Zyzzyva again",
            ));
        }
        None => {
            return Err(ServiceError::invalid(
                "the file has no “questions” table; is it a Zyzzyva quiz database such as “Anagrams.db”?",
            ));
        }
    };
    let columns: Vec<String> = sqlx::query(&format!("PRAGMA table_info(\"{table}\")"))
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| failed("its columns", &e))?
        .iter()
        .filter_map(|row| row.try_get::<String, _>("name").ok())
        .map(|name| name.to_ascii_lowercase())
        .collect();
    if !columns.iter().any(|c| c == "question") {
        return Err(ServiceError::invalid(
            "the “questions” table has no “question” column",
        ));
    }
    let has = |name: &str| columns.iter().any(|c| c == name);
    let shape = if has("cardbox") && has("next_scheduled") {
        Shape::Modern
    } else {
        Shape::BeforeCardboxes
    };
    let selected: Vec<String> = NUMBERS
        .iter()
        .map(|name| {
            if has(name)
                && (shape == Shape::Modern || !matches!(*name, "cardbox" | "next_scheduled"))
            {
                format!("CAST(\"{name}\" AS TEXT)")
            } else {
                "NULL".to_owned()
            }
        })
        .collect();
    let sql = format!(
        "SELECT CAST(question AS TEXT), {} FROM \"{table}\" LIMIT {}",
        selected.join(", "),
        limit + 1
    );
    let found = sqlx::query(&sql)
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| failed("its questions", &e))?;
    if found.len() > limit {
        return Err(ServiceError::invalid(format!(
            "the file has more than {limit} questions, more cards than a player may keep"
        )));
    }
    let rows = found
        .iter()
        .enumerate()
        .map(|(i, row)| (i + 1, row_of(row)))
        .collect();
    Ok(Rows { shape, rows })
}

/// One row, its numbers made whole, or what is wrong with it.
fn row_of(row: &sqlx::sqlite::SqliteRow) -> Result<CardboxRow, String> {
    let text = |i: usize| row.try_get::<Option<String>, _>(i).ok().flatten();
    let question = text(0).unwrap_or_default().trim().to_owned();
    let mut numbers = [None; 7];
    for (i, name) in NUMBERS.iter().enumerate() {
        numbers[i] = text(i + 1)
            .map(|t| whole(&t).map_err(|()| format!("its “{name}” is “{t}”, not a number")))
            .transpose()?
            .flatten();
    }
    let [
        correct,
        incorrect,
        streak,
        last_correct,
        difficulty,
        cardbox,
        next_scheduled,
    ] = numbers;
    Ok(CardboxRow {
        question,
        correct,
        incorrect,
        streak,
        last_correct,
        difficulty,
        cardbox,
        next_scheduled,
    })
}

/// A number written as an integer, a float (rounded) or blank (none).
fn whole(text: &str) -> Result<Option<i64>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Ok(n) = text.parse::<i64>() {
        return Ok(Some(n));
    }
    match text.parse::<f64>() {
        #[allow(
            clippy::cast_possible_truncation,
            reason = "clamped to i64's range first"
        )]
        Ok(f) if f.is_finite() => Ok(Some(f.round().clamp(-9.2e18, 9.2e18) as i64)),
        _ => Err(()),
    }
}

/// Writes a quiz database Zyzzyva opens: its `questions` table and unique index, with `rows`.
pub async fn write(rows: Vec<CardboxRow>) -> Result<Vec<u8>, ServiceError> {
    let dir = tempfile::tempdir()
        .map_err(|e| ServiceError::Document(format!("cannot make a temporary folder: {e}")))?;
    let path = dir.path().join("cardbox.db");
    write_to(&path, rows)
        .await
        .map_err(|e| ServiceError::Document(format!("cannot write the cardbox file: {e}")))?;
    tokio::fs::read(&path)
        .await
        .map_err(|e| ServiceError::Document(format!("cannot read the cardbox file back: {e}")))
}

async fn write_to(path: &Path, rows: Vec<CardboxRow>) -> Result<(), sqlx::Error> {
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .connect()
        .await?;
    let mut tx = conn.begin().await?;
    sqlx::query(
        "CREATE TABLE questions (question varchar(16), correct integer, incorrect integer, \
         streak integer, last_correct integer, difficulty integer, cardbox integer, \
         next_scheduled integer)",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query("CREATE UNIQUE INDEX question_index ON questions (question)")
        .execute(&mut *tx)
        .await?;
    for row in rows {
        sqlx::query("INSERT INTO questions VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(row.question)
            .bind(row.correct)
            .bind(row.incorrect)
            .bind(row.streak)
            .bind(row.last_correct)
            .bind(row.difficulty)
            .bind(row.cardbox)
            .bind(row.next_scheduled)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    conn.close().await
}

#[cfg(test)]
mod tests {
    use super::whole;

    #[test]
    fn numbers_from_other_tools_are_made_whole() {
        assert_eq!(whole("12"), Ok(Some(12)));
        assert_eq!(whole(" 3.6 "), Ok(Some(4)));
        assert_eq!(whole("1.7e9"), Ok(Some(1_700_000_000)));
        assert_eq!(whole(""), Ok(None));
        assert_eq!(whole("soon"), Err(()));
        assert_eq!(whole("NaN"), Err(()));
    }
}
