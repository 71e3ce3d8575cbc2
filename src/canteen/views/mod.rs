//! The canteen's pages: pure functions of what the handlers read.

use jiff::civil::Date;
use maud::{html, Markup};

use super::{add_days, egalim_warning, week_days, Course, DayKind, DayMenu, Dish, Week};
use crate::auth::visitor::Visitor;
use crate::ui::form::FormState;
use crate::ui::{csrf_input, dates, listen};

pub mod bookings;
pub mod manage;
pub mod staff;

/// « semaine du lundi 7 décembre ».
pub fn week_title(monday: Date) -> String {
    format!("Semaine du {}", dates::day_label(monday))
}

fn dish_line(course: Course, d: &Dish) -> Markup {
    let flags = d.flags();
    let allergens: Vec<&str> = d.allergens.iter().map(|a| a.label()).collect();
    html! {
        li {
            span.course { (course.label()) " : " }
            strong { (d.name) }
            @for f in &flags { " " span.badge.ok { (f) } }
            @if !allergens.is_empty() {
                br;
                span.allergens { "Allergènes : " (allergens.join(", ")) }
            }
        }
    }
}

/// One day's menu as everyone reads it.
pub fn day_menu(d: &DayMenu) -> Markup {
    html! {
        @match d.kind {
            DayKind::Closed => p.closed { strong { "Pas de cantine" } @if !d.note.is_empty() { " — " (d.note) } },
            _ => {
                @if d.kind == DayKind::Special {
                    p.special { strong { "Menu spécial" } @if !d.note.is_empty() { " : " (d.note) } }
                }
                @if d.dishes.is_empty() { p.empty { "Menu non communiqué." } }
                @else {
                    ul.menu-dishes {
                        @for (c, dish) in &d.dishes { (dish_line(*c, dish)) }
                    }
                }
            }
        }
    }
}

/// The week's five days, a card each (the print sheet too).
pub fn week_cards(monday: Date, week: Option<&Week>) -> Markup {
    html! {
        ul.cards.menu-week {
            @for d in week_days(monday) {
                li.panel {
                    h3 id=(format!("menu-{d}-jour")) { (dates::day_label(d)) }
                    (listen::button(&format!("menu-{d}-jour menu-{d}")))
                    div id=(format!("menu-{d}")) {
                        @match week.and_then(|w| w.day(d)) {
                            Some(m) => (day_menu(m)),
                            None => p.empty { "Menu non communiqué." },
                        }
                    }
                }
            }
        }
    }
}

/// Links to the week before and after.
fn week_nav(path: &str, monday: Date) -> Markup {
    let before = add_days(monday, -7);
    let after = add_days(monday, 7);
    html! {
        nav.subnav.noprint aria-label="Semaines" {
            a href=(format!("{path}?semaine={before}")) { "← " (week_title(before)) }
            " · "
            a href=(format!("{path}?semaine={after}")) { (week_title(after)) " →" }
        }
    }
}

/// What the person may do from the canteen's page.
pub struct Links {
    pub manage: bool,
    /// Named to write the menus (without managing the canteen).
    pub menus: bool,
    pub guardian: bool,
    pub staff: bool,
}

/// `/cantine`: the week's menus, the teacher's class today, the links.
pub fn week_page(monday: Date, week: Option<&Week>, links: &Links, class_today: Markup) -> Markup {
    html! {
        (crate::ui::heading("Cantine", Some("Les menus de la semaine, avec les allergènes.")))
        @if links.guardian { p.actions.noprint { a.button.primary href="/cantine/inscriptions" { "Inscriptions cantine et périscolaire" } } }
        (class_today)
        h2 { (week_title(monday)) }
        (week_nav("/cantine", monday))
        (week_cards(monday, week))
        p.actions.noprint {
            a.button href=(format!("/cantine/imprimer?semaine={monday}")) { "Imprimer la semaine" }
            " " a.button href="/cantine/menus.ics" { "S'abonner aux menus (calendrier)" }
            @if links.staff { " " a.button href="/periscolaire" { "Pointage du périscolaire" } }
            @if links.manage { " " a.button href="/cantine/gestion" { "Gérer la cantine" } }
            @else if links.menus {
                " " a.button href=(format!("/cantine/gestion/menu?semaine={monday}")) { "Saisir les menus de cette semaine" }
                " " a.button href="/cantine/gestion/import" { "Importer des menus (CSV)" }
            }
        }
    }
}

/// The print sheet of a week (A4, for the school door).
pub fn print_page(school: &str, monday: Date, week: Option<&Week>) -> Markup {
    html! {
        section.sheet.menu-print {
            h1 { "Menus de la cantine — " (school) }
            h2 { (week_title(monday)) }
            (week_cards(monday, week))
            p.small { "Les 14 allergènes réglementaires sont indiqués en toutes lettres pour chaque plat. Pour un PAI, adressez-vous à la mairie." }
            p.actions.noprint { a.button href=(format!("/cantine?semaine={monday}")) { "Retour" } }
        }
    }
}

/// « Aujourd'hui à la cantine » on the home pages.
pub fn today_box(menu: Option<&DayMenu>) -> Markup {
    html! {
        section.panel.canteen-today aria-labelledby="cantine-aujourdhui" {
            h2 #cantine-aujourdhui { "Aujourd'hui à la cantine" }
            (listen::button("cantine-aujourdhui cantine-aujourdhui-menu"))
            div #cantine-aujourdhui-menu {
                @match menu {
                    Some(m) => (day_menu(m)),
                    None => p.empty { "Pas de menu publié pour aujourd'hui." },
                }
            }
            p { a href="/cantine" { "Les menus de la semaine" } }
        }
    }
}

/// The field names of a day and course in the menu form.
pub fn field(day: usize, course: Course, what: &str) -> String {
    format!("j{day}-{}-{what}", course.slug())
}

fn checkbox(form: &FormState, name: &str, label: &str) -> Markup {
    let id = format!("f-{name}");
    html! {
        span.check {
            input type="checkbox" id=(id) name=(name) value="oui" checked[form.value(name) == "oui"];
            label for=(id) { (label) }
        }
    }
}

/// The week's form: for each day its kind, a note, and each course with its flags and
/// allergens (words, checked on the server).
pub fn menu_form(
    visitor: &Visitor,
    monday: Date,
    form: &FormState,
    warning: Option<&str>,
) -> Markup {
    html! {
        (crate::ui::form::error_summary(form))
        @if let Some(w) = warning { p.notice role="status" { (w) } }
        form method="post" action="/cantine/gestion/menu" novalidate {
            (csrf_input(visitor))
            input type="hidden" name="semaine" value=(monday.to_string());
            @for (i, d) in week_days(monday).iter().enumerate() {
                fieldset.panel.menu-day {
                    legend { (dates::day_label(*d)) }
                    (crate::ui::form::select(form, &format!("j{i}-jour"), "Ce jour-là", &[
                        ("normal".into(), "Menu habituel".into()),
                        ("special".into(), "Menu spécial".into()),
                        ("ferme".into(), "Pas de cantine".into()),
                    ], false))
                    (crate::ui::form::Field::text(&format!("j{i}-note"), "Précision (nom du menu spécial, raison de la fermeture)").render(form))
                    @for c in Course::ALL {
                        @let name = field(i, c, "nom");
                        @let allergens = field(i, c, "allergenes");
                        div.dish {
                            (crate::ui::form::Field::text(&name, c.label()).render(form))
                            div.flags {
                                (checkbox(form, &field(i, c, "vegetarien"), "végétarien"))
                                (checkbox(form, &field(i, c, "bio"), "bio"))
                                (checkbox(form, &field(i, c, "local"), "label / local"))
                                (checkbox(form, &field(i, c, "maison"), "fait maison"))
                            }
                            (crate::ui::form::Field::text(&allergens, "Allergènes").hint("En toutes lettres, séparés par des virgules : gluten, lait, œufs…").render(form))
                        }
                    }
                }
            }
            p.actions {
                button.button type="submit" name="action" value="enregistrer" { "Enregistrer le brouillon" }
                " "
                button.button.primary type="submit" name="action" value="publier" { "Publier la semaine" }
            }
        }
    }
}

/// The form's values of a stored week, to edit it.
pub fn form_of(week: Option<&Week>, monday: Date) -> FormState {
    let mut form = FormState::new();
    let Some(w) = week else {
        return form;
    };
    for (i, d) in week_days(monday).iter().enumerate() {
        let Some(m) = w.day(*d) else { continue };
        let kind = match m.kind {
            DayKind::Normal => "normal",
            DayKind::Special => "special",
            DayKind::Closed => "ferme",
        };
        form.set(&format!("j{i}-jour"), kind);
        form.set(&format!("j{i}-note"), m.note.clone());
        for (c, dish) in &m.dishes {
            form.set(&field(i, *c, "nom"), dish.name.clone());
            let yes = |b: bool| if b { "oui" } else { "" };
            form.set(&field(i, *c, "vegetarien"), yes(dish.vegetarian));
            form.set(&field(i, *c, "bio"), yes(dish.organic));
            form.set(&field(i, *c, "local"), yes(dish.local));
            form.set(&field(i, *c, "maison"), yes(dish.homemade));
            let a: Vec<&str> = dish.allergens.iter().map(|a| a.label()).collect();
            form.set(&field(i, *c, "allergenes"), a.join(", "));
        }
    }
    form
}

/// The EGalim warning of a week, if any (for the management pages).
pub fn warning_of(week: &Week) -> Option<&'static str> {
    egalim_warning(week)
}
