//! /admin/comptes: the list of accounts, a new account, credentials to hand over, an
//! account's page.

use maud::{html, Markup};

use crate::auth::visitor::Visitor;
use crate::directory::roster::AccountState;
use crate::directory::{Class, User};
use crate::policy::Profile;
use crate::ui::form::{error_summary, select, Field, FormState};
use crate::ui::pager::{self, Links, Pager};
use crate::ui::{csrf_input, dates};

/// The list's filters as chosen, to show them again (and to keep in the page links).
pub struct ListFilters<'a> {
    pub text: &'a str,
    pub profile: Option<Profile>,
    pub class_id: Option<u64>,
    pub state: Option<AccountState>,
}

impl ListFilters<'_> {
    /// The query string's filters, as the form sends them.
    fn pairs(&self) -> [(&'static str, String); 4] {
        [
            ("q", self.text.to_string()),
            (
                "profil",
                self.profile
                    .map(|p| p.slug().to_string())
                    .unwrap_or_default(),
            ),
            (
                "classe",
                self.class_id.map(|c| c.to_string()).unwrap_or_default(),
            ),
            (
                "etat",
                self.state
                    .map(|s| s.label().to_string())
                    .unwrap_or_default(),
            ),
        ]
    }
}

/// One page of the accounts found (`rows`), each with its state, under the filters' form.
pub fn account_list(
    filters: &ListFilters<'_>,
    classes: &[Class],
    rows: &[(&User, AccountState)],
    pager: &Pager,
) -> Markup {
    let pairs = filters.pairs();
    let keep: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let links = Links {
        path: "/admin/comptes",
        keep: &keep,
        param: "page",
        label: "Pages de la liste des comptes",
    };
    let total = pager.total.unwrap_or(rows.len());
    html! {
        (crate::ui::heading("Comptes", None))
        section.panel {
            form.inline method="get" action="/admin/comptes" role="search" {
                div.field { label for="q" { "Nom ou identifiant" } input #q type="search" name="q" value=(filters.text); }
                div.field {
                    label for="profil" { "Profil" }
                    select #profil name="profil" {
                        option value="" { "Tous" }
                        @for p in Profile::ALL { option value=(p.slug()) selected[Some(p) == filters.profile] { (p.label()) } }
                    }
                }
                div.field {
                    label for="classe" { "Classe" }
                    select #classe name="classe" {
                        option value="" { "Toutes" }
                        @for c in classes { option value=(c.id) selected[Some(c.id) == filters.class_id] { (c.label) } }
                    }
                }
                div.field {
                    label for="etat" { "État" }
                    select #etat name="etat" {
                        option value="" { "Tous" }
                        @for s in AccountState::ALL { option value=(s.label()) selected[filters.state == Some(s)] { (s.label()) } }
                    }
                }
                button type="submit" { "Filtrer" }
            }
            p { a.button.primary href="/admin/comptes/nouveau" { "Créer un compte" } " " a.button href="/admin/import" { "Importer depuis ONDE" } " " a.button href="/admin/lettres" { "Lettres d'activation" } }
            (pager::past_end_notice(pager))
            @if rows.is_empty() { p.empty { "Aucun compte." } } @else {
                table.list.stack {
                    caption {
                        (total) " compte" @if total > 1 { "s" }
                        @if pager.has_next || pager.page > 1 { " — " (pager.position()) }
                    }
                    thead { tr { th scope="col" { "Nom" } th scope="col" { "Identifiant" } th scope="col" { "Profil" } th scope="col" { "État" } } }
                    tbody {
                        @for (u, state) in rows {
                            tr {
                                td data-label="Nom" { a href=(format!("/admin/comptes/{}", u.id)) { (u.shown_last_name()) " " (u.first_name) } }
                                td data-label="Identifiant" { code { (u.login) } }
                                td data-label="Profil" { (u.role_label()) }
                                td data-label="État" {
                                    @match state {
                                        AccountState::Active => { "actif" },
                                        AccountState::Disabled | AccountState::Leaving => { span.badge.off { (state.label()) } },
                                        AccountState::ToActivate => { span.badge { (state.label()) } },
                                    }
                                }
                            }
                        }
                    }
                }
                (pager::nav(pager, &links))
            }
        }
    }
}

pub fn new_account(visitor: &Visitor, classes: &[Class], form: &FormState) -> Markup {
    let profiles: Vec<(String, String)> =
        std::iter::once((String::new(), "— Choisir —".to_string()))
            .chain(
                Profile::ALL
                    .iter()
                    .map(|p| (p.slug().to_string(), p.label().to_string())),
            )
            .collect();
    let classes: Vec<(String, String)> = std::iter::once((String::new(), "Aucune".to_string()))
        .chain(classes.iter().map(|c| (c.id.to_string(), c.label.clone())))
        .collect();
    html! {
        (crate::ui::heading("Créer un compte", None))
        section.panel {
            (error_summary(form))
            form method="post" action="/admin/comptes/nouveau" novalidate {
                (csrf_input(visitor))
                div.row {
                    (Field::text("first_name", "Prénom").required().render(form))
                    (Field::text("last_name", "Nom").required().render(form))
                }
                (select(form, "profile", "Profil", &profiles, true))
                (select(form, "class_id", "Classe (élèves, enseignants, ATSEM)", &classes, false))
                (Field::text("login", "Identifiant").hint("Laissez vide pour « prénom.nom ».").render(form))
                (Field::text("email", "Adresse électronique (facultative)").kind("email").render(form))
                button.primary type="submit" { "Créer le compte" }
            }
        }
    }
}

/// The login and temporary password to hand over, shown once.
pub fn credentials(public_url: &str, user: &User, password: &str, title: &str) -> Markup {
    html! {
        (crate::ui::heading(title, None))
        section.panel {
            p { "Remettez ces informations à " strong { (user.display_name()) } ". Le mot de passe provisoire ne sera plus affiché ; il devra être changé à la première connexion." }
            dl.summary.credentials {
                dt { "Adresse" } dd { (public_url) }
                dt { "Identifiant" } dd { code { (user.login) } }
                dt { "Mot de passe provisoire" } dd { code { (password) } }
            }
            p { a.button href=(format!("/admin/comptes/{}", user.id)) { "Voir le compte" } " " a.button href="/admin/comptes/nouveau" { "Créer un autre compte" } }
        }
    }
}

/// What an account's page shows.
pub struct AccountPage {
    pub user: User,
    pub class_names: Vec<String>,
    /// Accounts this one may be merged into (value, label), likely duplicates first.
    pub duplicates: Vec<(String, String)>,
    /// The policy lets the viewer administer this account.
    pub may_administer: bool,
    /// Guessed passwords have locked the account (somewhere, or its pictures).
    pub locked: bool,
    /// A pupil's photo authorisation: ONDE's declaration, and whether they may appear in
    /// published pictures now (projects of the registry included).
    pub photo: Option<(Option<bool>, bool)>,
}

pub fn account_detail(visitor: &Visitor, page: &AccountPage) -> Markup {
    let user = &page.user;
    let id = user.id;
    html! {
        (crate::ui::heading(&user.display_name(), Some(user.role_label())))
        section.panel {
            dl.summary {
                dt { "Identifiant" } dd { code { (user.login) } }
                dt { "Profil" } dd { (user.profile.label()) }
                dt { "Classes" } dd { @if page.class_names.is_empty() { "aucune" } @else { (page.class_names.join(", ")) } }
                @if let Some(e) = &user.email { dt { "Courriel" } dd { (e) } }
                dt { "Créé le" } dd { (dates::long_date(user.created_at)) }
                dt { "État" } dd { @if user.disabled { "désactivé" } @else { "actif" } }
                @if let Some((declared, authorised)) = page.photo {
                    dt { "Autorisation photo" }
                    dd {
                        (match declared { Some(true) => "déclarée dans ONDE", Some(false) => "refusée dans ONDE", None => "non renseignée dans ONDE" })
                        " — "
                        @if authorised { "peut paraître sur les photos publiées" } @else { span.badge.off { "ne peut pas paraître sur les photos publiées" } }
                        " (" a href="/admin/autorisations-photo" { "autorisations photo" } ")"
                    }
                }
            }
        }
        @if page.may_administer {
            section.panel {
                h2 { "Modifier" }
                form method="post" action=(format!("/admin/comptes/{id}/modifier")) novalidate {
                    (csrf_input(visitor))
                    @let form = FormState::with_values([
                        ("first_name", user.first_name.clone()),
                        ("last_name", user.last_name.clone()),
                        ("usage_name", user.usage_name.clone().unwrap_or_default()),
                        ("email", user.email.clone().unwrap_or_default()),
                        ("phone", user.phone.clone().unwrap_or_default()),
                    ]);
                    div.row {
                        (Field::text("first_name", "Prénom").required().render(&form))
                        (Field::text("last_name", "Nom de famille").required().render(&form))
                    }
                    (Field::text("usage_name", "Nom d'usage (facultatif)").render(&form))
                    div.row {
                        (Field::text("email", "Courriel").kind("email").render(&form))
                        (Field::text("phone", "Téléphone").kind("tel").render(&form))
                    }
                    button type="submit" { "Enregistrer" }
                }
            }
            section.panel {
                h2 { "Actions" }
                @if user.profile != Profile::Eleve {
                    form method="post" action=(format!("/admin/comptes/{id}/depart")) {
                        (csrf_input(visitor))
                        @if let Some(l) = &user.leaving {
                            p { "Départ enregistré : compte supprimé le " (dates::long_date(l.delete_after)) "." }
                            button type="submit" { "Annuler le départ" }
                        } @else {
                            button.danger type="submit" data-confirm="Le compte sera désactivé tout de suite et supprimé dans 3 mois. Continuer ?" { "Quitte l'école (mutation, départ) : supprimer le compte dans 3 mois" }
                        }
                    }
                }
                @if !page.duplicates.is_empty() {
                    form.inline method="post" action=(format!("/admin/comptes/{id}/fusionner")) {
                        (csrf_input(visitor))
                        (select(&FormState::new(), "keep", "Ce compte est un doublon de", &page.duplicates, true))
                        button type="submit" data-confirm="Ce compte sera supprimé ; ses classes, liens et groupes passeront au compte choisi. Continuer ?" { "Fusionner" }
                    }
                }
                @if user.profile != Profile::Eleve {
                    form method="post" action=(format!("/admin/comptes/{id}/lettre")) {
                        (csrf_input(visitor))
                        button type="submit" data-confirm="Le mot de passe actuel ne fonctionnera plus : la personne activera de nouveau son compte avec la lettre. Continuer ?" { "Mot de passe perdu : imprimer une nouvelle lettre d'activation" }
                    }
                }
                @if page.locked {
                    form method="post" action=(format!("/admin/comptes/{id}/debloquer")) {
                        (csrf_input(visitor))
                        span.badge.off { "bloqué (trop d'essais)" } " "
                        button type="submit" { "Débloquer la connexion" }
                    }
                }
                form method="post" action=(format!("/admin/comptes/{id}/mot-de-passe")) {
                    (csrf_input(visitor))
                    button type="submit" { "Donner un nouveau mot de passe provisoire" }
                }
                form method="post" action=(format!("/admin/comptes/{id}/desactiver")) {
                    (csrf_input(visitor))
                    @if user.disabled { button type="submit" { "Réactiver le compte" } }
                    @else { button.danger type="submit" data-confirm="Désactiver ce compte ? La personne ne pourra plus se connecter." { "Désactiver le compte" } }
                }
            }
        }
    }
}
