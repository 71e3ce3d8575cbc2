//! Handlers of /agenda.

use crate::routing::{Access, Object, Routes};
use jiff::civil::Date;
use maud::{html, Markup};
use poem::web::{Data, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use super::{
    agenda, at, day_start, holidays, time_text, Calendar, Event, Occurrence, Repeat, EVENTS,
};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::news::{audience_fields, Audience};
use crate::policy::{may, Action};
use crate::ui::form::{first_value, Field, FormState};
use crate::ui::{csrf_input, dates};

mod exchange;

use exchange::{feed, import_form, import_submit, new_token, subscription};

pub fn routes() -> Routes {
    use Access::*;
    Routes::new()
        .get("/", view, Member)
        .get("/nouveau", new_form, Member)
        .post("/nouveau", new_submit, Member)
        .get("/import", import_form, Director)
        .post("/import", import_submit, Director)
        .get("/abonnement", subscription, Member)
        .post("/abonnement", new_token, Member)
        .get("/ical/:token", feed, Object(self::Object::CalendarFeed))
        .get("/:id", show, Object(self::Object::EventReader))
        .post("/:id/supprimer", remove, Object(self::Object::EventAuthor))
}

fn frame(app: &App, member: &Member, title: &str, body: Markup) -> AppResult<Markup> {
    app.page(&member.visitor, title, "/agenda", body)
}

fn zone(app: &App) -> AppResult<Option<crate::school::Zone>> {
    Ok(crate::school::get(&app.store)?.map(|s| s.zone))
}

#[derive(Deserialize, Default)]
struct ViewQuery {
    vue: Option<String>,
    date: Option<String>,
}

fn capitalize(t: &str) -> String {
    let mut c = t.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn occurrence_line(o: &Occurrence) -> Markup {
    html! {
        a href=(o.link) { (o.event.title) }
        " " span.small { (time_text(o)) @if !o.event.place.is_empty() { " — " (o.event.place) } }
    }
}

#[handler]
fn view(Data(app): Data<&App>, member: Member, Query(q): Query<ViewQuery>) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let me = member.user().id;
    let today = dates::local_day_and_hour(auth::now_micros()).0;
    let date = q
        .date
        .as_deref()
        .and_then(dates::parse_date)
        .unwrap_or(today);
    let zone = zone(app)?;
    let mode = q.vue.as_deref().unwrap_or("mois");
    let nav = |label: &str, d: Date, v: &str| html! { a.button href=(format!("/agenda?vue={v}&date={d}")) { (label) } };
    let views = html! {
        nav.views aria-label="Vues de l'agenda" {
            @for (v, l) in [("mois", "Mois"), ("semaine", "Semaine"), ("liste", "Liste")] {
                @if v == mode { a.button.primary href=(format!("/agenda?vue={v}&date={date}")) aria-current="page" { (l) } } @else { a.button href=(format!("/agenda?vue={v}&date={date}")) { (l) } }
            }
            a.button href="/agenda/nouveau" { "Ajouter un événement" }
            a.button href="/agenda/abonnement" { "S'abonner (téléphone)" }
            @if may(member.actor(), Action::EditCalendar { class_id: None }) { a.button href="/agenda/import" { "Importer un .ics" } }
        }
    };
    let holiday = |d: Date| zone.and_then(|z| holidays::on(z, d));
    let body = match mode {
        "semaine" => {
            let monday = date
                .checked_sub(jiff::Span::new().days(date.weekday().to_monday_zero_offset() as i64))
                .unwrap_or(date);
            let days: Vec<Date> = (0..7)
                .filter_map(|i| monday.checked_add(jiff::Span::new().days(i)).ok())
                .collect();
            let occ = agenda(
                &app.store,
                &people,
                me,
                day_start(monday),
                day_start(days.last().copied().unwrap_or(monday)).saturating_add(86_400_000_000),
            )?;
            html! {
                (crate::ui::heading("Agenda", Some(&format!("Semaine du {}", dates::day_label(monday)))))
                (views)
                p.actions { (nav("← Semaine précédente", monday.checked_sub(jiff::Span::new().days(7)).unwrap_or(monday), "semaine")) (nav("Semaine suivante →", monday.checked_add(jiff::Span::new().days(7)).unwrap_or(monday), "semaine")) }
                @for d in &days {
                    section.panel.day {
                        h2 { (capitalize(&dates::day_label(*d))) }
                        @if let Some(h) = holiday(*d) { p { span.badge { (h) } } }
                        @let todays: Vec<&Occurrence> = occ.iter().filter(|o| o.covers(*d)).collect();
                        @if todays.is_empty() { p.empty { "Rien de prévu." } }
                        ul { @for o in todays { li { (occurrence_line(o)) } } }
                    }
                }
            }
        }
        "liste" => {
            let from = day_start(date);
            let to = from.saturating_add(62 * 86_400_000_000);
            let occ = agenda(&app.store, &people, me, from, to)?;
            let hols: Vec<(&str, Date, Date)> = zone
                .map(holidays::of_zone)
                .unwrap_or_default()
                .into_iter()
                .filter(|(_, f, l)| *l >= date && day_start(*f) < to)
                .collect();
            html! {
                (crate::ui::heading("Agenda", Some(&format!("À partir du {}", dates::day_label(date)))))
                (views)
                section.panel {
                    @for (name, first, last) in &hols { p { span.badge { (name) } " du " (dates::day_label(*first)) " au " (dates::day_label(*last)) " inclus" } }
                    @if occ.is_empty() { p.empty { "Rien de prévu dans les deux mois qui viennent." } }
                    ul.agenda-list {
                        @for (i, o) in occ.iter().enumerate() {
                            @let d = o.first_day;
                            @let previous = i.checked_sub(1).and_then(|p| occ.get(p));
                            @if previous.is_none_or(|p| p.first_day != d) { li.day-head { strong { (capitalize(&dates::day_label(d))) } } }
                            li { (occurrence_line(o)) }
                        }
                    }
                }
            }
        }
        _ => {
            let first = date.first_of_month();
            let last = date.last_of_month();
            let grid_start = first
                .checked_sub(jiff::Span::new().days(first.weekday().to_monday_zero_offset() as i64))
                .unwrap_or(first);
            let occ = agenda(
                &app.store,
                &people,
                me,
                day_start(grid_start),
                day_start(last).saturating_add(86_400_000_000 * 7),
            )?;
            let weeks: Vec<Vec<Date>> = (0..6)
                .map(|w| {
                    (0..7)
                        .filter_map(|i| {
                            grid_start
                                .checked_add(jiff::Span::new().days(w * 7 + i))
                                .ok()
                        })
                        .collect()
                })
                .filter(|week: &Vec<Date>| week.first().is_some_and(|d| *d <= last))
                .collect();
            let prev = first
                .checked_sub(jiff::Span::new().months(1))
                .unwrap_or(first);
            let next = first
                .checked_add(jiff::Span::new().months(1))
                .unwrap_or(first);
            html! {
                (crate::ui::heading("Agenda", Some(&format!("{} {}", capitalize(dates::month_fr(first.month())), first.year()))))
                (views)
                p.actions { (nav("← Mois précédent", prev, "mois")) (nav("Mois suivant →", next, "mois")) }
                div.scroll {
                    table.month {
                        thead { tr { @for d in ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."] { th scope="col" { (d) } } } }
                        tbody {
                            @for week in &weeks {
                                tr {
                                    @for d in week {
                                        @let busy = holiday(*d).is_some() || occ.iter().any(|o| o.covers(*d));
                                        @let class = match (d.month() != first.month(), *d == today, busy) {
                                            (true, _, true) => "other busy",
                                            (true, _, false) => "other",
                                            (false, true, true) => "today busy",
                                            (false, true, false) => "today",
                                            (false, false, true) => "busy",
                                            (false, false, false) => "",
                                        };
                                        // On a phone the month is a list of its days with something on
                                        // (the style sheet): each day then says its name.
                                        td class=(class) data-day=(DayLabel(*d)) {
                                            span.num { (d.day()) }
                                            @if let Some(h) = holiday(*d) { span.holiday { (h) } }
                                            @for o in occ.iter().filter(|o| o.covers(*d)) {
                                                a.event href=(o.link) { (o.event.title) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    frame(app, &member, "Agenda", body)
}

/// [`dates::day_label`] written straight into the page: the month's grid names each of
/// its 35 to 42 days (no character of it needs escaping).
struct DayLabel(Date);

impl maud::Render for DayLabel {
    fn render_to(&self, buffer: &mut String) {
        use std::fmt::Write;
        buffer.push_str(dates::weekday_fr(self.0.weekday()));
        match self.0.day() {
            1 => buffer.push_str(" 1er "),
            n => {
                let _ = write!(buffer, " {n} ");
            }
        }
        buffer.push_str(dates::month_fr(self.0.month()));
    }
}

/// The calendars this person may add to.
fn calendars(member: &Member, people: &People) -> Vec<(String, String)> {
    let mut out = vec![("perso".to_string(), "Mon agenda personnel".to_string())];
    if may(member.actor(), Action::EditCalendar { class_id: None }) {
        out.push(("ecole".into(), "Agenda de l'école".into()));
    }
    for c in &people.classes {
        if may(
            member.actor(),
            Action::EditCalendar {
                class_id: Some(c.id),
            },
        ) {
            out.push((
                format!("classe-{}", c.id),
                format!("Agenda de la classe {}", c.label),
            ));
        }
    }
    out
}

fn parse_calendar(member: &Member, code: &str) -> Option<Calendar> {
    match code {
        "perso" => Some(Calendar::Personal(member.user().id)),
        "ecole" => {
            may(member.actor(), Action::EditCalendar { class_id: None }).then_some(Calendar::School)
        }
        c => {
            let id: u64 = c.strip_prefix("classe-")?.parse().ok()?;
            may(member.actor(), Action::EditCalendar { class_id: Some(id) })
                .then_some(Calendar::Class(id))
        }
    }
}

fn event_form(
    app: &App,
    member: &Member,
    people: &People,
    form: &FormState,
    audience: &Audience,
) -> AppResult<Markup> {
    let body = html! {
        (crate::ui::heading("Ajouter un événement", None))
        section.panel {
            (crate::ui::form::error_summary(form))
            form method="post" action="/agenda/nouveau" novalidate {
                (csrf_input(&member.visitor))
                (crate::ui::form::select(form, "calendar", "Dans", &calendars(member, people), true))
                (Field::text("title", "Titre").required().render(form))
                (Field::text("place", "Lieu (facultatif)").render(form))
                div.row {
                    (Field::text("start_day", "Début").kind("date").required().render(form))
                    (Field::text("start_time", "Heure").kind("time").render(form))
                }
                div.row {
                    (Field::text("end_day", "Fin").kind("date").render(form))
                    (Field::text("end_time", "Heure").kind("time").render(form))
                }
                div.check { input #f-all-day type="checkbox" name="all_day" value="1" checked[form.value("all_day") == "1"]; label for="f-all-day" { "Toute la journée" } }
                (Field::text("repeat_until", "Chaque semaine jusqu'au (facultatif)").kind("date").render(form))
                div.field { label for="f-details" { "Détails (facultatif)" } textarea #f-details name="details" rows="3" { (form.value("details")) } }
                (audience_fields(people, audience, form))
                p.small { "« Pour qui » ne compte que pour l'agenda de l'école ; l'agenda d'une classe est pour la classe et ses familles, l'agenda personnel pour vous seul." }
                button.primary type="submit" { "Enregistrer" }
            }
        }
    };
    frame(app, member, "Ajouter un événement", body)
}

#[handler]
fn new_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let mut form = FormState::new();
    form.set("start_day", dates::date_value(auth::now_micros()));
    event_form(app, &member, &people, &form, &Audience::All)
}

#[handler]
async fn new_submit(
    Data(app): Data<&App>,
    member: Member,
    poem::web::Form(f): poem::web::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let mut form = FormState::with_values(
        [
            "calendar",
            "title",
            "place",
            "start_day",
            "start_time",
            "end_day",
            "end_time",
            "all_day",
            "repeat_until",
            "details",
        ]
        .map(|k| (k, first_value(&f, k).trim().to_string())),
    );
    let calendar = parse_calendar(&member, form.value("calendar"));
    if calendar.is_none() {
        form.error("calendar", "Choisissez un agenda où vous pouvez écrire.");
    }
    let title = form.required("title", "le titre");
    let all_day = form.value("all_day") == "1";
    let start_day = dates::parse_date(form.value("start_day"));
    if start_day.is_none() {
        form.error("start_day", "Indiquez le jour du début.");
    }
    let end_day = match form.value("end_day") {
        "" => start_day,
        v => dates::parse_date(v).or_else(|| {
            form.error("end_day", "Cette date n'est pas valide.");
            None
        }),
    };
    let (mut start, mut end) = (0, 0);
    if let (Some(sd), Some(ed)) = (start_day, end_day) {
        if all_day || form.value("start_time").is_empty() {
            start = day_start(sd);
            end = dates::end_of_day(ed);
        } else {
            match at(sd, form.value("start_time")) {
                Some(s) => start = s,
                None => form.error(
                    "start_time",
                    "Cette heure n'est pas valide (par ex. 08:30).",
                ),
            }
            end = match form.value("end_time") {
                "" => start + 3_600_000_000,
                t => at(ed, t).unwrap_or_else(|| {
                    form.error("end_time", "Cette heure n'est pas valide.");
                    start
                }),
            };
        }
        if form.is_ok() && end < start {
            form.error(
                "end_day",
                "L'événement finit avant de commencer : vérifiez la fin.",
            );
        }
    }
    let repeat = match form.value("repeat_until") {
        "" => Repeat::Never,
        v => match dates::parse_date(v) {
            Some(d) if start_day.is_some_and(|s| d >= s) => Repeat::Weekly(d.to_string()),
            _ => {
                form.error(
                    "repeat_until",
                    "La fin de la répétition doit venir après le début.",
                );
                Repeat::Never
            }
        },
    };
    let audience = Audience::from_form(&f);
    if calendar == Some(Calendar::School) && audience.is_none() {
        form.error("audience", "Choisissez pour qui.");
    }
    crate::auth::rate::note(app, member.user().id, &mut form, "title");
    if !form.is_ok() {
        return Ok((
            poem::http::StatusCode::BAD_REQUEST,
            event_form(
                app,
                &member,
                &people,
                &form,
                audience.as_ref().unwrap_or(&Audience::All),
            )?,
        )
            .into_response());
    }
    let now = auth::now_micros();
    let event = Event {
        id: 0,
        calendar: calendar.unwrap_or(Calendar::Personal(member.user().id)),
        title,
        place: form.value("place").to_string(),
        details: form.value("details").to_string(),
        start,
        end,
        all_day: all_day || form.value("start_time").is_empty(),
        repeat,
        audience: audience.unwrap_or(Audience::All),
        author: member.user().id,
        created_at: now,
        imported_uid: None,
    };
    let id = app
        .store
        .commit(|tx| {
            let id = tx.next_id("event")?;
            crate::agenda::insert(
                tx,
                &Event {
                    id,
                    ..event.clone()
                },
            )?;
            Ok(id)
        })
        .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Événement enregistré."),
    )
    .await?;
    Ok(Redirect::see_other(format!("/agenda/{id}")).into_response())
}

/// May this person change the events of `calendar`?
pub(crate) fn may_edit(member: &Member, calendar: Calendar) -> bool {
    match calendar {
        Calendar::School => may(member.actor(), Action::EditCalendar { class_id: None }),
        Calendar::Class(c) => may(member.actor(), Action::EditCalendar { class_id: Some(c) }),
        Calendar::Personal(u) => u == member.user().id,
    }
}

#[handler]
fn show(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    let e = app.store.get(&EVENTS, &id)?.ok_or(AppError::NotFound)?;
    let people = People::load(&app.store)?;
    if !e.visible_to(&people, member.user().id) && !may_edit(&member, e.calendar) {
        return Err(AppError::Forbidden);
    }
    let o = Occurrence::new(e.clone(), e.start, e.end);
    let body = html! {
        (crate::ui::heading(&e.title, Some(&format!("{} — {}", capitalize(&dates::long_date(e.start)), time_text(&o)))))
        section.panel {
            @if !e.place.is_empty() { p { strong { "Lieu : " } (e.place) } }
            @if let Repeat::Weekly(until) = &e.repeat { p { "Chaque semaine jusqu'au " (dates::parse_date(until).map(dates::day_label).unwrap_or_default()) } }
            @if !e.details.is_empty() { p { (e.details) } }
            p.small { @match e.calendar { Calendar::School => { "Agenda de l'école — pour " (e.audience.label(&people)) } Calendar::Class(c) => { "Agenda de la classe " (people.class(c).map(|c| c.label.clone()).unwrap_or_default()) } Calendar::Personal(_) => { "Mon agenda personnel" } } }
        }
        @if may_edit(&member, e.calendar) {
            form method="post" action=(format!("/agenda/{id}/supprimer")) { (csrf_input(&member.visitor)) button.danger type="submit" data-confirm="Supprimer cet événement ?" { "Supprimer" } }
        }
    };
    frame(app, &member, &e.title, body)
}

#[handler]
async fn remove(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Redirect> {
    let e = app.store.get(&EVENTS, &id)?.ok_or(AppError::NotFound)?;
    if !may_edit(&member, e.calendar) {
        return Err(AppError::Forbidden);
    }
    app.store.commit(|tx| crate::agenda::remove(tx, id)).await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Événement supprimé."),
    )
    .await?;
    Ok(Redirect::see_other("/agenda"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use maud::Render;

    #[test]
    fn a_day_of_the_month_grid_is_named_as_everywhere_else() {
        let mut d = Date::new(2026, 1, 1).unwrap_or_default();
        for _ in 0..366 {
            assert_eq!(DayLabel(d).render().into_string(), dates::day_label(d));
            d = d.tomorrow().unwrap_or(d);
        }
    }
}
