//! The command line: `preau serve`, `setup`, `user …`, `check`.
//! Help texts are in English, consistently; messages for school staff are in French.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};

use crate::config::{self, ServeOverrides, Settings};
use crate::directory::{self, Function, Level, Membership, NewUser};
use crate::policy::Profile;
use crate::school::{self, School, Service, Zone};
use crate::store::Store;

mod data;
mod import;
mod user;

pub use data::{archive, backup, demo, lsu_export, restore};
pub use import::import_onde;
pub use user::user;

#[derive(Debug, Parser)]
#[command(
    name = "preau",
    version,
    about = "Préau — a self-hosted digital workspace (ENT) for one school"
)]
pub struct Cli {
    /// Data folder (default: $STATE_DIRECTORY under systemd, ./preau-data otherwise)
    #[arg(long, global = true, env = "PREAU_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (HTTPS app, HTTP certificate page and redirect, mDNS)
    Serve(ServeOverrides),
    /// Create a fictional demo school in an empty data folder, then serve it
    Demo(DemoArgs),
    /// Non-interactive setup: create the school and the director's account
    Setup(SetupArgs),
    /// Manage accounts
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Import people from files (ONDE exports)
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Check the store's integrity and print counts per kind of record
    Check {
        /// Build the search index again from the records first
        #[arg(long)]
        reindex: bool,
    },
    /// Look for the school on the LAN over mDNS, as a parent's device would
    MdnsCheck {
        /// Name without .local
        #[arg(long, default_value = "ecole")]
        hostname: String,
        /// Seconds to listen
        #[arg(long, default_value_t = 5)]
        timeout: u64,
    },
    /// Write a backup archive (through the running server if there is one)
    Backup {
        /// Archive to write (default: a dated archive in the backup folder, `backup_dir` or
        /// <data>/sauvegardes, as the nightly ones); a folder: a dated archive in it,
        /// rotated as the nightly ones (7 daily, 4 weekly)
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write the year's memory (blog, cahier de textes, médiathèque as offline pages in a
    /// ZIP) of a class, or of the whole school without --classe (through the running
    /// server if there is one)
    Archive {
        /// The class, by its name (« CM1-CM2 ») or number; the whole school without it
        #[arg(long)]
        classe: Option<String>,
        /// The school year (« 2025-2026 »): the current one, or one the rentrée archived
        #[arg(long)]
        annee: Option<String>,
        /// The ZIP file to write
        #[arg(long)]
        out: PathBuf,
    },
    /// The livret scolaire's exchanges with the national LSU application
    Lsu {
        #[command(subcommand)]
        command: LsuCommand,
    },
    /// Restore a backup archive into an empty data folder
    Restore {
        /// The archive made by `preau backup`
        file: PathBuf,
    },
    /// Ask the running server's /healthz on this machine (a container's health check)
    Healthcheck,
    /// Many schools at once (a collectivité's hosting): their status, the upgrade plan
    Fleet {
        #[command(subcommand)]
        command: crate::fleet::cli::FleetCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum LsuCommand {
    /// Write a period's published bilans as an LSU 1D import file (XML); refuses, with
    /// the list of what is missing per pupil, before writing anything (through the
    /// running server if there is one)
    Export {
        /// The period's number in the current school year (1, 2, 3)
        #[arg(long)]
        periode: u8,
        /// The class, by its name (« CM1 ») or number; every class without it
        #[arg(long)]
        classe: Option<String>,
        /// The XML file to write
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Multiply the school (classes, families, what they wrote) and its history, for
    /// scaling measurements
    #[arg(long, default_value_t = 1)]
    pub scale: u32,
    /// Seed of the random generator (same seed, same school)
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Create the school and stop, without serving it
    #[arg(long)]
    pub no_serve: bool,
    #[command(flatten)]
    pub serve: ServeOverrides,
}

#[derive(Debug, Args)]
pub struct SetupArgs {
    /// School name, e.g. "École primaire Jules-Ferry"
    #[arg(long)]
    pub school_name: String,
    /// UAI (ex-RNE): 7 digits and a check letter
    #[arg(long)]
    pub uai: String,
    /// Commune
    #[arg(long)]
    pub commune: String,
    /// Holiday zone: A, B or C
    #[arg(long)]
    pub zone: String,
    #[arg(long, default_value = "")]
    pub address: String,
    #[arg(long, default_value = "")]
    pub postcode: String,
    #[arg(long, default_value = "")]
    pub academie: String,
    /// Director's first name
    #[arg(long)]
    pub director_first_name: String,
    /// Director's last name
    #[arg(long)]
    pub director_last_name: String,
    /// Director's login
    #[arg(long)]
    pub login: String,
    /// File holding the director's password ("-" or absent: read from standard input)
    #[arg(long)]
    pub password_file: Option<PathBuf>,
    /// A class as "LABEL:LEVEL,LEVEL" (repeatable), e.g. "CE1-CE2:CE1,CE2"; taught by the director
    #[arg(long = "class")]
    pub classes: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account (a temporary password is printed unless --password-file is given)
    Add {
        #[arg(long)]
        login: String,
        /// eleve, responsable, enseignant, atsem, periscolaire, commune, intervenant, conseiller, invite
        #[arg(long)]
        profile: String,
        /// Class label or number to attach the account to
        #[arg(long)]
        class: Option<String>,
        #[arg(long)]
        first_name: Option<String>,
        #[arg(long)]
        last_name: Option<String>,
        /// File holding the password ("-": standard input)
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
    /// List accounts, one per line: login, profile, name, state
    List {
        #[arg(long)]
        profile: Option<String>,
    },
    /// Set a new password (read from --password-file or standard input); ends the account's sessions
    Passwd {
        login: String,
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
    /// Disable an account and end its sessions
    Disable { login: String },
}

/// The `PREAU_*` environment variables alone (commands other than `serve` take no
/// serve flags, but honour the same environment).
#[derive(Parser)]
struct EnvOnly {
    #[command(flatten)]
    overrides: ServeOverrides,
}

/// Settings for commands other than `serve` (same file, environment and defaults).
pub fn settings_for(data_dir: &Path) -> anyhow::Result<Settings> {
    let file = config::read_file(data_dir)?;
    let env = EnvOnly::try_parse_from(["preau"])
        .map(|e| e.overrides)
        .unwrap_or_default();
    config::resolve(data_dir.to_path_buf(), file, &env)
}

fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    if !settings.data_dir.exists() {
        bail!(
            "le dossier de données {} n'existe pas (indiquez-le avec --data-dir)",
            settings.data_dir.display()
        );
    }
    Ok(crate::schema::open(settings)?)
}

fn read_password(file: Option<&Path>) -> anyhow::Result<String> {
    let mut text = String::new();
    match file {
        Some(p) if p != Path::new("-") => {
            text = std::fs::read_to_string(p)
                .with_context(|| format!("lecture de {}", p.display()))?;
        }
        _ => {
            std::io::stdin()
                .read_to_string(&mut text)
                .context("lecture du mot de passe sur l'entrée standard")?;
        }
    }
    let pw = text.lines().next().unwrap_or("").to_string();
    if let Err(m) = crate::auth::password::check_strength(&pw) {
        bail!("mot de passe refusé : {m}");
    }
    Ok(pw)
}

fn now() -> i64 {
    crate::auth::now_micros()
}

pub fn setup(data_dir: &Path, args: &SetupArgs) -> anyhow::Result<()> {
    let settings = settings_for(data_dir)?;
    std::fs::create_dir_all(data_dir)?;
    let store = crate::schema::open(&settings)?;
    if crate::setup::is_installed(&store)? {
        bail!("Préau est déjà installé dans {}", data_dir.display());
    }
    let zone = Zone::from_code(&args.zone).context("--zone doit valoir A, B ou C")?;
    if !school::valid_uai(&args.uai) {
        bail!(
            "UAI « {} » invalide : 7 chiffres suivis de la lettre de contrôle",
            args.uai
        );
    }
    let login = directory::normalize_login(&args.login).map_err(anyhow::Error::msg)?;
    let password = read_password(args.password_file.as_deref())?;
    let mut classes = Vec::new();
    for spec in &args.classes {
        let (label, levels) = spec
            .split_once(':')
            .context("--class attend « NOM:NIVEAU,NIVEAU »")?;
        let levels: Vec<Level> = levels
            .split(',')
            .map(|l| Level::from_code(l).with_context(|| format!("niveau inconnu « {l} »")))
            .collect::<anyhow::Result<_>>()?;
        classes.push(crate::setup::ClassDraft {
            label: label.trim().to_string(),
            levels,
            teacher: crate::setup::TeacherChoice::Director,
        });
    }
    let draft = crate::setup::Draft {
        school: Some(School {
            name: args.school_name.trim().to_string(),
            uai: args.uai.trim().to_uppercase(),
            address: args.address.clone(),
            postcode: args.postcode.clone(),
            commune: args.commune.clone(),
            academie: args.academie.clone(),
            zone,
            services: Vec::new(),
        }),
        director: Some(crate::setup::DirectorDraft {
            first_name: args.director_first_name.trim().to_string(),
            last_name: args.director_last_name.trim().to_string(),
            login: login.clone(),
            email: None,
            password_hash: crate::auth::password::hash_blocking(&password, settings.bcrypt_cost)?,
        }),
        classes,
        services: Some(Service::ALL.to_vec()),
        pending_import: None,
    };
    crate::setup::complete(&store, &draft, &[], now())?;
    let _ = std::fs::remove_file(data_dir.join(crate::setup::CODE_FILE));
    store.flush_blocking()?;
    println!(
        "École « {} » installée ; le compte de direction « {login} » peut se connecter.",
        args.school_name.trim()
    );
    Ok(())
}

pub fn check(data_dir: &Path, reindex: bool) -> anyhow::Result<bool> {
    let settings = settings_for(data_dir)?;
    let store = open_store(&settings)?;
    if reindex {
        let postings = crate::search::rebuild(&store)?;
        println!("Index de la recherche reconstruit : {postings} entrées");
    }
    println!(
        "Schéma : version {} (cette version de Préau : {})",
        store.schema_version()?,
        crate::schema::current_version()
    );
    for name in store.table_names() {
        println!("{name:<20} {}", store.count(name)?);
    }
    let problems = crate::schema::check(&store)?;
    if problems.is_empty() {
        println!("Intégrité : OK");
        Ok(true)
    } else {
        for p in &problems {
            println!("PROBLÈME : {p}");
        }
        Ok(false)
    }
}

#[derive(Debug, Args)]
pub struct ImportOndeArgs {
    /// Pupils file exported from ONDE (CSV)
    #[arg(long)]
    pub eleves: Option<PathBuf>,
    /// Responsables file exported from ONDE (CSV)
    #[arg(long)]
    pub responsables: Option<PathBuf>,
    /// Teachers file (CSV: Nom, Prénom, Courriel, Classe)
    #[arg(long)]
    pub enseignants: Option<PathBuf>,
    /// The pupils file lists the whole school: pupils it does not list are marked as leaving
    #[arg(long)]
    pub complet: bool,
    /// Show what would change without writing anything
    #[arg(long)]
    pub dry_run: bool,
    /// Class mapping overriding the proposed matches: one line per ONDE class,
    /// "ONDE label or id = Préau class label" (or "= nouvelle" for a new class)
    #[arg(long)]
    pub classes: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import the pupils and responsables files exported from ONDE
    Onde(ImportOndeArgs),
}

/// `preau mdns-check`: prints what the LAN sees; fails when the name does not resolve.
pub fn mdns_check(hostname: &str, timeout: u64) -> anyhow::Result<()> {
    let (addresses, services) =
        crate::net::mdns::check(hostname, std::time::Duration::from_secs(timeout))?;
    for s in &services {
        println!("service : {s}");
    }
    if addresses.is_empty() {
        bail!("{hostname}.local ne répond pas sur ce réseau (mDNS) : vérifiez que Préau tourne sans --no-mdns et que le pare-feu laisse passer le port UDP 5353");
    }
    for a in &addresses {
        println!("{hostname}.local → {a}");
    }
    Ok(())
}
