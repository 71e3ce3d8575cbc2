//! `preau fleet status` and `preau fleet upgrade-plan`: the technician's view of every
//! school of a list (a TOML file: `[[ecole]]` with `nom`, `url`, `jeton`, and `ca` for a
//! school that serves its own local CA). Exit status 2 when a school needs attention,
//! so that a monitoring job can run it as it is.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Subcommand};
use serde::{Deserialize, Serialize};

use super::Etat;

#[derive(Debug, Subcommand)]
pub enum FleetCommand {
    /// For every school of the list: version, schema, last backup and its age, disk used,
    /// certificate expiry, accounts activated
    Status(FleetArgs),
    /// Which schools need attention before upgrading them to this version of Préau
    UpgradePlan(FleetArgs),
}

#[derive(Debug, Args)]
pub struct FleetArgs {
    /// The list of schools (TOML: [[ecole]] nom, url, jeton, and optionally ca)
    #[arg(long, env = "PREAU_FLEET_LIST")]
    pub ecoles: PathBuf,
    /// JSON instead of a table
    #[arg(long)]
    pub json: bool,
    /// Seconds to wait for each school
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct List {
    #[serde(default)]
    ecole: Vec<School>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct School {
    nom: String,
    url: String,
    jeton: String,
    /// The school's own CA (`<data>/tls/ca.pem`) when it serves its certificate itself.
    ca: Option<PathBuf>,
}

/// A backup older than this is stale (the nightly one missed at least once).
pub const STALE_BACKUP_SECS: i64 = 48 * 3600;
/// A certificate this close to expiry should have been renewed already (Préau and
/// Let's Encrypt clients renew 30 days ahead).
pub const CERTIFICATE_WARNING_SECS: i64 = 30 * 86_400;

/// One school as seen by the fleet.
#[derive(Debug, Serialize)]
pub struct Seen {
    pub nom: String,
    pub url: String,
    pub etat: Option<Etat>,
    /// Expiry of the certificate the URL presents (Préau's or its proxy's).
    pub certificat_presente: Option<i64>,
    pub erreur: Option<String>,
    pub alertes: Vec<String>,
}

impl Seen {
    /// The certificate that expires first of the one presented and Préau's own.
    pub fn certificate(&self) -> Option<i64> {
        let own = self.etat.as_ref().and_then(|e| e.certificat_expiration);
        match (self.certificat_presente, own) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

fn read_list(path: &Path) -> anyhow::Result<Vec<School>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("lecture de {}", path.display()))?;
    let list: List = toml::from_str(&text)
        .with_context(|| format!("liste d'écoles {} invalide", path.display()))?;
    if list.ecole.is_empty() {
        anyhow::bail!(
            "la liste {} ne nomme aucune école ([[ecole]])",
            path.display()
        );
    }
    Ok(list.ecole)
}

fn look(school: &School, timeout: Duration, now: i64) -> Seen {
    let mut seen = Seen {
        nom: school.nom.clone(),
        url: school.url.clone(),
        etat: None,
        certificat_presente: None,
        erreur: None,
        alertes: Vec::new(),
    };
    let answer = super::client::get(
        &school.url,
        "/admin/etat",
        Some(&school.jeton),
        school.ca.as_deref(),
        timeout,
    );
    match answer {
        // The school did not answer (an answer refused below is no « injoignable »).
        Err(e) => seen.erreur = Some(format!("injoignable : {e:#}")),
        Ok(answer) => {
            seen.certificat_presente = answer.certificate_not_after;
            match answer.status {
                200 => match serde_json::from_slice::<Etat>(&answer.body) {
                    Ok(etat) => seen.etat = Some(etat),
                    Err(e) => seen.erreur = Some(format!("état illisible : {e}")),
                },
                401 => seen.erreur = Some("jeton refusé".into()),
                404 => {
                    seen.erreur =
                        Some("supervision désactivée (ou version sans /admin/etat)".into())
                }
                s => seen.erreur = Some(format!("réponse HTTP {s}")),
            }
        }
    }
    seen.alertes = alerts(&seen, now);
    seen
}

/// What needs the technician's attention, at `now` (Unix seconds).
pub fn alerts(seen: &Seen, now: i64) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(e) = &seen.erreur {
        out.push(e.clone());
    }
    if let Some(etat) = &seen.etat {
        match etat.sauvegarde_age_secondes {
            None => out.push("aucune sauvegarde réussie".into()),
            Some(age) if age > STALE_BACKUP_SECS => out.push(format!(
                "dernière sauvegarde réussie il y a {}",
                age_text(age)
            )),
            Some(_) => {}
        }
        if etat.sauvegarde_en_echec {
            out.push("la dernière sauvegarde a échoué".into());
        }
        if etat.schema > crate::schema::current_version() {
            out.push(format!(
                "schéma {} plus récent que cet outil ({})",
                etat.schema,
                crate::schema::current_version()
            ));
        }
    }
    if let Some(expiry) = seen.certificate() {
        let left = expiry - now;
        if left <= 0 {
            out.push("certificat expiré".into());
        } else if left < CERTIFICATE_WARNING_SECS {
            out.push(format!("certificat expirant dans {}", age_text(left)));
        }
    }
    out
}

fn age_text(secs: i64) -> String {
    let hours = secs / 3600;
    if hours < 48 {
        format!("{hours} h")
    } else {
        format!("{} j", hours / 24)
    }
}

fn date(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_else(|_| "?".into())
}

/// Looks at every school of the list, one after the other (a technician's list is tens
/// to hundreds of schools; each answer is a few hundred bytes).
pub fn survey(list: &Path, timeout: u64) -> anyhow::Result<Vec<Seen>> {
    let schools = read_list(list)?;
    let now = jiff::Timestamp::now().as_second();
    let timeout = Duration::from_secs(timeout.max(1));
    Ok(schools.iter().map(|s| look(s, timeout, now)).collect())
}

/// The table of `preau fleet status`.
pub fn table(seen: &[Seen]) -> String {
    let mut rows = vec![[
        "ÉCOLE",
        "VERSION",
        "SCHÉMA",
        "SAUVEGARDE",
        "ÂGE",
        "DISQUE",
        "CERTIFICAT",
        "COMPTES",
        "ALERTES",
    ]
    .map(String::from)
    .to_vec()];
    for s in seen {
        let e = s.etat.as_ref();
        rows.push(vec![
            s.nom.clone(),
            e.map(|e| e.version.clone()).unwrap_or_else(|| "-".into()),
            e.map(|e| e.schema.to_string())
                .unwrap_or_else(|| "-".into()),
            e.and_then(|e| e.derniere_sauvegarde)
                .map(date)
                .unwrap_or_else(|| "-".into()),
            e.and_then(|e| e.sauvegarde_age_secondes)
                .map(age_text)
                .unwrap_or_else(|| "-".into()),
            e.map(|e| crate::admin::human_size(e.disque_octets))
                .unwrap_or_else(|| "-".into()),
            s.certificate().map(date).unwrap_or_else(|| "-".into()),
            e.map(|e| format!("{}/{}", e.comptes_actives, e.comptes))
                .unwrap_or_else(|| "-".into()),
            if s.alertes.is_empty() {
                "OK".into()
            } else {
                s.alertes.join(" ; ")
            },
        ]);
    }
    let widths: Vec<usize> = (0..9)
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in &rows {
        let cells: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(c.chars().count()))))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// One school's place in the upgrade plan.
#[derive(Debug, Serialize)]
pub struct Step {
    pub nom: String,
    /// « a-jour », « prete », « a-preparer », « injoignable », « plus-recente ».
    pub decision: &'static str,
    pub depuis: Option<String>,
    pub schema: Option<u64>,
    pub avant: Vec<String>,
}

/// Which schools may be upgraded to this version now, which need attention first.
pub fn plan(seen: &[Seen]) -> Vec<Step> {
    let target = env!("CARGO_PKG_VERSION");
    let schema = crate::schema::current_version();
    seen.iter()
        .map(|s| {
            let mut avant = Vec::new();
            let decision = match &s.etat {
                None => {
                    avant.push(s.erreur.clone().unwrap_or_default());
                    "injoignable"
                }
                Some(e) if e.schema > schema => {
                    avant.push(format!(
                        "elle a le schéma {} : ne pas la remettre à la version {target} (schéma {schema})",
                        e.schema
                    ));
                    "plus-recente"
                }
                Some(e) if e.version == target && e.schema == schema => {
                    // Nothing to upgrade, but a school without a working backup must not
                    // hide among those with nothing to do.
                    if backups_broken(e) {
                        avant.push(format!("rien à mettre à jour, mais {FIX_BACKUPS}"));
                    }
                    "a-jour"
                }
                Some(e) => {
                    for a in &s.alertes {
                        avant.push(a.clone());
                    }
                    if backups_broken(e) {
                        avant.push(FIX_BACKUPS.into());
                    }
                    avant.push(format!(
                        "garder au moins {} libres pour la sauvegarde prise avant la migration",
                        crate::admin::human_size(e.disque_octets)
                    ));
                    if s.alertes.is_empty() {
                        "prete"
                    } else {
                        "a-preparer"
                    }
                }
            };
            Step {
                nom: s.nom.clone(),
                decision,
                depuis: s.etat.as_ref().map(|e| e.version.clone()),
                schema: s.etat.as_ref().map(|e| e.schema),
                avant,
            }
        })
        .collect()
}

const FIX_BACKUPS: &str =
    "réparer les sauvegardes, puis en faire une (preau backup) et la copier ailleurs";

/// The last backup failed, or none succeeded for two days.
fn backups_broken(e: &Etat) -> bool {
    e.sauvegarde_en_echec
        || e.sauvegarde_age_secondes
            .is_none_or(|a| a > STALE_BACKUP_SECS)
}

fn plan_text(steps: &[Step]) -> String {
    let target = env!("CARGO_PKG_VERSION");
    let schema = crate::schema::current_version();
    let mut out = format!(
        "Mise à jour vers Préau {target} (schéma {schema}). Pour chaque école, dans cet ordre : \
         1. sauvegarde (preau backup, copiée hors de la machine) ; 2. nouvelle version \
         (la migration se fait au démarrage, après sa propre sauvegarde) ; 3. vérification \
         (/healthz, preau check, preau fleet status).\n"
    );
    for (decision, title) in [
        ("prete", "Prêtes"),
        ("a-preparer", "À préparer d'abord"),
        ("injoignable", "Injoignables"),
        ("plus-recente", "Plus récentes que cette version"),
        ("a-jour", "Déjà à jour"),
    ] {
        let these: Vec<&Step> = steps.iter().filter(|s| s.decision == decision).collect();
        if these.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{title} ({}) :\n", these.len()));
        for s in these {
            let from = match (&s.depuis, s.schema) {
                (Some(v), Some(n)) => format!(" (version {v}, schéma {n})"),
                _ => String::new(),
            };
            out.push_str(&format!("  {}{from}\n", s.nom));
            for a in &s.avant {
                out.push_str(&format!("    - {a}\n"));
            }
        }
    }
    out
}

/// `preau fleet …`: `Ok(false)` when a school needs attention (exit status 2).
pub fn run(command: &FleetCommand) -> anyhow::Result<bool> {
    match command {
        FleetCommand::Status(args) => {
            let seen = survey(&args.ecoles, args.timeout)?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&seen)?);
            } else {
                print!("{}", table(&seen));
            }
            Ok(seen.iter().all(|s| s.alertes.is_empty()))
        }
        FleetCommand::UpgradePlan(args) => {
            let seen = survey(&args.ecoles, args.timeout)?;
            let steps = plan(&seen);
            if args.json {
                println!("{}", serde_json::to_string_pretty(&steps)?);
            } else {
                print!("{}", plan_text(&steps));
            }
            Ok(steps
                .iter()
                .all(|s| matches!(s.decision, "prete" | "a-jour")))
        }
    }
}

/// `preau healthcheck`: `GET /healthz` on this machine's listener (the plain HTTP one,
/// which answers it with or without TLS), for a container's health check where no
/// `curl` exists. Succeeds on a 200 whose answer says « ok ».
pub fn healthcheck(settings: &crate::config::Settings) -> anyhow::Result<()> {
    let host = match settings.listen {
        std::net::IpAddr::V4(a) if a.is_unspecified() => "127.0.0.1".to_string(),
        std::net::IpAddr::V6(a) if a.is_unspecified() => "[::1]".to_string(),
        std::net::IpAddr::V4(a) => a.to_string(),
        std::net::IpAddr::V6(a) => format!("[{a}]"),
    };
    let url = format!("http://{host}:{}", settings.http_port);
    let answer = super::client::get(&url, "/healthz", None, None, Duration::from_secs(5))?;
    let body = String::from_utf8_lossy(&answer.body);
    if answer.status != 200 || !body.contains("\"ok\"") {
        anyhow::bail!("{url}/healthz : réponse {} {body}", answer.status);
    }
    println!("{body}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up_to_date(failed: bool) -> Seen {
        Seen {
            nom: "bourg".into(),
            url: "https://bourg.example".into(),
            etat: Some(Etat {
                version: env!("CARGO_PKG_VERSION").into(),
                schema: crate::schema::current_version(),
                derniere_sauvegarde: Some(1),
                sauvegarde_age_secondes: Some(3600),
                sauvegarde_en_echec: failed,
                disque_octets: 1,
                certificat_expiration: None,
                comptes_actives: 1,
                comptes: 1,
            }),
            certificat_presente: None,
            erreur: None,
            alertes: Vec::new(),
        }
    }

    #[test]
    fn an_up_to_date_school_with_a_failed_backup_carries_a_note() {
        let steps = plan(&[up_to_date(true), up_to_date(false)]);
        assert!(steps.iter().all(|s| s.decision == "a-jour"));
        assert_eq!(steps[0].avant.len(), 1, "{:?}", steps[0].avant);
        assert!(steps[0].avant[0].contains("réparer les sauvegardes"));
        assert!(steps[1].avant.is_empty());
    }
}
