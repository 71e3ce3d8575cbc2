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
    Check,
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
        /// Archive to write (default: <data>/sauvegardes/preau-sauvegarde-<date>.tar)
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Restore a backup archive into an empty data folder
    Restore {
        /// The archive made by `preau backup`
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Multiply the history (connections, past years) for scaling measurements
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

fn find_class(store: &Store, text: &str) -> anyhow::Result<u64> {
    let classes = directory::classes(store)?;
    if let Ok(id) = text.parse::<u64>() {
        if classes.iter().any(|c| c.id == id) {
            return Ok(id);
        }
    }
    classes
        .iter()
        .find(|c| c.label.eq_ignore_ascii_case(text.trim()))
        .map(|c| c.id)
        .with_context(|| format!("classe « {text} » introuvable"))
}

pub fn user(data_dir: &Path, command: &UserCommand) -> anyhow::Result<()> {
    let settings = settings_for(data_dir)?;
    let store = open_store(&settings)?;
    match command {
        UserCommand::Add {
            login,
            profile,
            class,
            first_name,
            last_name,
            password_file,
        } => {
            let profile = Profile::from_slug(profile)
                .with_context(|| format!("profil inconnu « {profile} »"))?;
            let login = directory::normalize_login(login).map_err(anyhow::Error::msg)?;
            let class_id = class
                .as_deref()
                .map(|c| find_class(&store, c))
                .transpose()?;
            let (first, last) = match (first_name, last_name) {
                (Some(f), Some(l)) => (f.clone(), l.clone()),
                _ => {
                    let mut parts = login.splitn(2, '.');
                    let f = parts.next().unwrap_or(&login).to_string();
                    let l = parts.next().unwrap_or("").to_string();
                    (
                        first_name.clone().unwrap_or(f),
                        last_name.clone().unwrap_or(l),
                    )
                }
            };
            let (password, temporary) = match password_file {
                Some(p) => (read_password(Some(p))?, false),
                None => (crate::auth::password::generate_readable(10), true),
            };
            let hash = crate::auth::password::hash_blocking(&password, settings.bcrypt_cost)?;
            let new = NewUser {
                login: login.clone(),
                first_name: first,
                last_name: last,
                profile,
                functions: Vec::<Function>::new(),
                email: None,
                password_hash: Some(hash),
                must_change_password: temporary,
                created_at: now(),
            };
            let role = match profile {
                Profile::Eleve => Membership::Pupil,
                Profile::Atsem => Membership::Assistant,
                _ => Membership::Teacher,
            };
            store.commit_checked_blocking(|tx| {
                let id = directory::create_user(tx, &new)?;
                if let Some(c) = class_id {
                    directory::add_member(tx, c, id, role)?;
                }
                Ok(id)
            })?;
            if temporary {
                println!("Compte « {login} » créé. Mot de passe provisoire : {password}");
            } else {
                println!("Compte « {login} » créé.");
            }
        }
        UserCommand::List { profile } => {
            let p = match profile {
                Some(text) => Some(
                    Profile::from_slug(text)
                        .with_context(|| format!("profil inconnu « {text} »"))?,
                ),
                None => None,
            };
            for u in directory::users(&store, p)? {
                let state = if u.disabled { "désactivé" } else { "actif" };
                println!(
                    "{}\t{}\t{}\t{}",
                    u.login,
                    u.profile.slug(),
                    u.display_name(),
                    state
                );
            }
        }
        UserCommand::Passwd {
            login,
            password_file,
        } => {
            let user = directory::user_by_login(&store, login)?
                .with_context(|| format!("compte « {login} » introuvable"))?;
            let password = read_password(password_file.as_deref())?;
            let hash = crate::auth::password::hash_blocking(&password, settings.bcrypt_cost)?;
            store.commit_checked_blocking(|tx| {
                if let Some(mut u) = directory::user_in(tx, user.id)? {
                    u.password_hash = Some(hash.clone());
                    u.must_change_password = false;
                    directory::save_user(tx, &u)?;
                }
                Ok(())
            })?;
            end_sessions(&store, user.id)?;
            println!(
                "Mot de passe de « {} » changé ; ses connexions ouvertes ont été fermées.",
                user.login
            );
        }
        UserCommand::Disable { login } => {
            let user = directory::user_by_login(&store, login)?
                .with_context(|| format!("compte « {login} » introuvable"))?;
            store.commit_checked_blocking(|tx| {
                if let Some(mut u) = directory::user_in(tx, user.id)? {
                    u.disabled = true;
                    directory::save_user(tx, &u)?;
                }
                Ok(())
            })?;
            end_sessions(&store, user.id)?;
            println!("Compte « {} » désactivé.", user.login);
        }
    }
    Ok(())
}

fn end_sessions(store: &Store, user_id: u64) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(crate::auth::close_all_sessions(store, user_id, None))?;
    Ok(())
}

pub fn check(data_dir: &Path) -> anyhow::Result<bool> {
    let settings = settings_for(data_dir)?;
    let store = open_store(&settings)?;
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

/// `preau import onde`: the same plan and commit as the console.
pub fn import_onde(data_dir: &Path, args: &ImportOndeArgs) -> anyhow::Result<()> {
    use crate::directory::import::{self, PupilAction};
    use crate::directory::onde::{self, RowStatus};
    let settings = settings_for(data_dir)?;
    let store = open_store(&settings)?;
    if !crate::setup::is_installed(&store)? {
        bail!("l'école n'est pas encore installée (assistant ou « preau setup »)");
    }
    let mapping = import::saved_mapping(&store)?;
    let read = |p: &Path| std::fs::read(p).with_context(|| format!("lecture de {}", p.display()));
    let pupils = match &args.eleves {
        Some(p) => Some(
            onde::parse_pupils(&read(p)?, &mapping)
                .map_err(|e| anyhow::anyhow!("fichier des élèves : {e}"))?,
        ),
        None => None,
    };
    let guardians = match &args.responsables {
        Some(p) => Some(
            onde::parse_guardians(&read(p)?)
                .map_err(|e| anyhow::anyhow!("fichier des responsables : {e}"))?,
        ),
        None => None,
    };
    let teachers = match &args.enseignants {
        Some(p) => Some(
            onde::parse_teachers(&read(p)?)
                .map_err(|e| anyhow::anyhow!("fichier des enseignants : {e}"))?,
        ),
        None => None,
    };
    if pupils.is_none() && guardians.is_none() && teachers.is_none() {
        bail!(
            "indiquez au moins --eleves FICHIER, --responsables FICHIER ou --enseignants FICHIER"
        );
    }
    let mut plan = import::plan(&store, pupils.as_ref(), guardians.as_ref(), args.complet)?;
    if let Some(t) = &teachers {
        import::plan_teachers(&store, &mut plan, t)?;
    }
    for p in &plan.pupils {
        if p.source.status != RowStatus::Ok {
            let tag = if p.source.status == RowStatus::Error {
                "ERREUR"
            } else {
                "ATTENTION"
            };
            println!(
                "élèves ligne {} {tag} : {} {} — {}",
                p.source.line,
                p.source.first_name,
                p.source.last_name,
                p.source.reasons.join(" ; ")
            );
        }
        if let PupilAction::Update { changes, .. } = &p.action {
            println!(
                "élèves ligne {} mis à jour : {} {} ({})",
                p.source.line,
                p.source.first_name,
                p.source.last_name,
                changes.join(", ")
            );
        }
    }
    for g in &plan.guardians {
        if g.status != RowStatus::Ok {
            let tag = if g.status == RowStatus::Error {
                "ERREUR"
            } else {
                "ATTENTION"
            };
            println!(
                "responsables ligne {} {tag} : {} — {}",
                g.line,
                g.name,
                g.reasons.join(" ; ")
            );
        }
    }
    for (_, name) in &plan.leavers {
        println!("partant (compte désactivé, supprimé dans 3 mois) : {name}");
    }
    let c = plan.counts();
    println!(
        "Élèves : {} nouveau(x), {} mis à jour, {} inchangé(s), {} partant(s){}",
        c.pupils_new,
        c.pupils_updated,
        c.pupils_unchanged,
        c.leavers,
        if plan.absent_untouched > 0 {
            format!(", {} absent(s) du fichier non traités (fichier partiel : --complet pour un export de toute l'école)", plan.absent_untouched)
        } else {
            String::new()
        }
    );
    println!("Classes : {} nouvelle(s)", c.classes_new);
    if !plan.teachers.is_empty() {
        println!("Enseignants : {} nouveau(x)", c.teachers_new);
        for t in plan
            .teachers
            .iter()
            .filter(|t| !t.warnings.is_empty() || t.source.status == RowStatus::Error)
        {
            println!(
                "enseignants ligne {} : {} {} — {}",
                t.source.line,
                t.source.first_name,
                t.source.last_name,
                t.source
                    .reasons
                    .iter()
                    .chain(t.warnings.iter())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ; ")
            );
        }
    }
    println!(
        "Responsables : {} nouveau(x), {} déjà connu(s), {} lien(s) avec des enfants",
        c.guardians_new, c.guardians_known, c.links
    );
    println!(
        "Lignes : {} OK, {} avec avertissement, {} en erreur (non importées)",
        c.lines_ok, c.lines_warn, c.lines_error
    );
    if args.dry_run {
        println!("Simulation : rien n'a été enregistré.");
    } else {
        import::commit(&store, &plan, now(), (None, "ligne de commande"))?;
        store.flush_blocking()?;
        println!("Import enregistré.");
    }
    Ok(())
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
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import the pupils and responsables files exported from ONDE
    Onde(ImportOndeArgs),
}

/// `preau demo`: creates the demo school; the caller serves it unless `--no-serve`.
pub fn demo(data_dir: &Path, args: &DemoArgs) -> anyhow::Result<()> {
    if !(1..=100).contains(&args.scale) {
        bail!("--scale doit être compris entre 1 et 100");
    }
    let file = config::read_file(data_dir)?;
    let settings = config::resolve(data_dir.to_path_buf(), file, &args.serve)?;
    crate::app::prepare_data_dir(data_dir)?;
    let store = crate::schema::open(&settings)?;
    let started = std::time::Instant::now();
    let summary = crate::demo::create(&store, args.scale, args.seed, settings.bcrypt_cost, now())?;
    drop(store);
    println!(
        "École de démonstration créée en {:.1} s : {} classes, {} élèves, {} responsables, {} personnels, {} connexions d'historique.",
        started.elapsed().as_secs_f64(),
        summary.classes,
        summary.pupils,
        summary.guardians,
        summary.staff,
        summary.connection_events
    );
    println!(
        "Mot de passe de tous les comptes : {}",
        crate::demo::DEMO_PASSWORD
    );
    for (role, login) in &summary.logins {
        println!("  {role:<48} {login}");
    }
    Ok(())
}

/// `preau backup`: through the running server when one listens, directly otherwise.
pub fn backup(data_dir: &Path, out: Option<&Path>) -> anyhow::Result<()> {
    let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S").to_string();
    // By default inside the data folder: under systemd the service may write nowhere else
    // (ProtectSystem=strict), and a backup made through it is written by it.
    let dest = match out {
        Some(p) => p.to_path_buf(),
        None => {
            let dir = data_dir.join("sauvegardes");
            std::fs::create_dir_all(&dir)?;
            dir.join(format!("preau-sauvegarde-{stamp}.tar"))
        }
    };
    let dest = if dest.is_absolute() {
        dest
    } else {
        std::env::current_dir()?.join(dest)
    };
    let request = crate::admin_socket::Request::Backup {
        destination: dest.clone(),
    };
    if let Some(answer) = crate::admin_socket::send(data_dir, &request) {
        let answer = answer.context("échange avec le serveur en cours")?;
        if !answer.ok {
            bail!("{}", answer.message);
        }
        println!("{}", answer.message);
        return Ok(());
    }
    let settings = settings_for(data_dir)?;
    let store = open_store(&settings)?;
    let m = store.backup_to(&dest, now())?;
    println!(
        "Sauvegarde écrite dans {} ({} enregistrements, {} fichiers, schéma {}).",
        dest.display(),
        m.counts.values().sum::<usize>(),
        m.blobs.len(),
        m.schema_version
    );
    Ok(())
}

/// `preau restore FILE`: checks everything first, then fills an empty data folder.
pub fn restore(data_dir: &Path, file: &Path) -> anyhow::Result<()> {
    use crate::store::backup::{read_archive, restore_into, RestoreError};
    if data_dir.exists() && std::fs::read_dir(data_dir)?.next().is_some() {
        return Err(RestoreError::NotEmpty(data_dir.display().to_string()).into());
    }
    let (manifest, records, blobs) = read_archive(file, crate::schema::current_version())?;
    crate::app::prepare_data_dir(data_dir)?;
    let settings = settings_for(data_dir)?;
    let n = {
        // Open at the archive's own schema, fill, then let the migrations bring it up.
        let store = crate::store::migrate::open_at_version(
            data_dir,
            &settings.store_options(),
            &crate::schema::tables(),
            &[],
            0,
        )?;
        restore_into(&store, &records, &blobs)?
    };
    let store = crate::schema::open(&settings)?;
    let problems = crate::schema::check(&store)?;
    if !problems.is_empty() {
        bail!(
            "restauration terminée mais incohérente : {}",
            problems.join(" ; ")
        );
    }
    println!(
        "Restauré : {n} enregistrements, {} fichiers, sauvegarde du schéma {} (maintenant {}).",
        blobs.len(),
        manifest.schema_version,
        store.schema_version()?
    );
    Ok(())
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
