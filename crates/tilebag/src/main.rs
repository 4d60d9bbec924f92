//! `tilebag`: word tools for Scrabble players.

mod commands;
mod library;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use commands::lexicon::LexiconCommand;
use commands::search::SearchArgs;
use commands::server::{AdminArgs, BackupArgs, DailyArgs};
use commands::words::{AnagramArgs, InfoArgs, JudgeArgs};
use library::Library;
use tilebag_server::{DatabaseArgs, ServeArgs};

/// Word study for Scrabble players: a web server, and word tools on the command line.
///
/// The bundled lexicon, SCOWL80, is built from SCOWL (Spell Checker Oriented Word Lists,
/// copyright Kevin Atkinson and others; see `tilebag notice`). It is not a tournament word
/// list: import your own with `tilebag lexicon import`.
#[derive(Debug, Parser)]
#[command(name = "tilebag", version)]
struct Cli {
    /// Where tilebag keeps its data, such as imported lexicons.
    #[arg(
        long,
        global = true,
        env = "TILEBAG_DATA_DIR",
        default_value = "tilebag-data",
        value_name = "DIR"
    )]
    data_dir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Grant a player admin rights (the admin page shows the daily job's history).
    Admin(AdminArgs),
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Find the words in a rack of letters (`?` is a blank).
    Anagram(AnagramArgs),
    /// Say whether words are valid; exit status 0 only if all are.
    Judge(JudgeArgs),
    /// Show alphagram, probability, anagrams, hooks and definition of words.
    Info(InfoArgs),
    /// Search a lexicon with any combination of criteria.
    Search(Box<SearchArgs>),
    /// Import, list and remove lexicons.
    #[command(subcommand)]
    Lexicon(LexiconCommand),
    /// Print the copyright and licence notice of the bundled word list.
    Notice,
    /// Run the web server (SQLite in the data directory unless --database-url says otherwise).
    Serve(Box<ServeArgs>),
    /// Apply pending database migrations and say what was applied.
    Migrate(DatabaseArgs),
    /// Copy the live SQLite database to a new file.
    Backup(BackupArgs),
    /// Award challenge medals for every finished day not yet done, and clean up (the server
    /// also does this by itself; this is for a cron job).
    Daily(Box<DailyArgs>),
    /// Manage players.
    #[command(subcommand)]
    User(UserCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // One TLS crypto provider for the whole process.
    let _ = rustls::crypto::ring::default_provider().install_default();
    match run(&cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("tilebag: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let library = Library::new(&cli.data_dir);
    match &cli.command {
        Command::Anagram(args) => commands::words::anagram(args, &library),
        Command::Judge(args) => commands::words::judge(args, &library),
        Command::Info(args) => commands::words::info(args, &library),
        Command::Search(args) => commands::search::run(args, &library),
        Command::Lexicon(command) => commands::lexicon::run(command, &library),
        Command::Serve(args) => commands::server::serve(args, &library, &cli.data_dir),
        Command::Migrate(database) => commands::server::migrate(database, &cli.data_dir),
        Command::Backup(args) => commands::server::backup(args, &cli.data_dir),
        Command::Daily(args) => commands::server::daily(args, &library, &cli.data_dir),
        Command::User(UserCommand::Admin(args)) => commands::server::admin(args, &cli.data_dir),
        Command::Notice => {
            print!("{}", tilebag_bundled::NOTICE);
            Ok(ExitCode::SUCCESS)
        }
    }
}
