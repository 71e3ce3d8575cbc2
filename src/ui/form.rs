//! Form components: each field has a real label, shows its error beside it and keeps
//! what was typed.

use std::collections::HashMap;

use maud::{html, Markup};

/// Values typed and errors found, by field name.
#[derive(Debug, Default, Clone)]
pub struct FormState {
    pub values: HashMap<String, String>,
    pub errors: HashMap<String, String>,
}

/// Where [`FormState::hold_back`] keeps its reason: among the values (no field has this
/// name), so that the state keeps its size.
const HELD_BACK: &str = "\u{0}held_back";

impl FormState {
    pub fn new() -> FormState {
        FormState::default()
    }

    pub fn with_values<'a>(pairs: impl IntoIterator<Item = (&'a str, String)>) -> FormState {
        FormState {
            values: pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            errors: HashMap::new(),
        }
    }

    pub fn value(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }

    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.values.insert(name.to_string(), value.into());
    }

    pub fn error(&mut self, name: &str, message: impl Into<String>) {
        self.errors
            .entry(name.to_string())
            .or_insert_with(|| message.into());
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// The form is right but cannot be taken now: `message` is said beside `field` (where
    /// the person looks) and in the summary, in place of « corrigez le champ signalé ».
    pub fn hold_back(&mut self, field: &str, message: impl Into<String>) {
        let message = message.into();
        self.error(field, message.clone());
        self.values.insert(HELD_BACK.to_string(), message);
    }

    /// A required text: trimmed, or an error « Ce champ est obligatoire. ».
    pub fn required(&mut self, name: &str, label: &str) -> String {
        let v = self.value(name).trim().to_string();
        if v.is_empty() {
            self.error(name, format!("Indiquez {label}."));
        }
        v
    }
}

/// Options of a text-like field.
pub struct Field<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub kind: &'a str,
    pub hint: Option<&'a str>,
    pub required: bool,
    pub autocomplete: Option<&'a str>,
    /// A new password: the page's script shows its strength while it is typed.
    pub strength: bool,
}

impl<'a> Field<'a> {
    pub fn text(name: &'a str, label: &'a str) -> Field<'a> {
        Field {
            name,
            label,
            kind: "text",
            hint: None,
            required: false,
            autocomplete: None,
            strength: false,
        }
    }
    pub fn strength(mut self) -> Self {
        self.strength = true;
        self
    }
    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }
    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn autocomplete(mut self, value: &'a str) -> Self {
        self.autocomplete = Some(value);
        self
    }

    /// Renders the field. Password fields never echo a value back.
    pub fn render(&self, form: &FormState) -> Markup {
        let id = format!("f-{}", self.name);
        let error = form.errors.get(self.name);
        let hint_id = format!("{id}-aide");
        let error_id = format!("{id}-erreur");
        let described: Vec<&str> = [
            self.hint.map(|_| hint_id.as_str()),
            error.map(|_| error_id.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect();
        let value = if self.kind == "password" {
            ""
        } else {
            form.value(self.name)
        };
        html! {
            div class=(if error.is_some() { "field has-error" } else { "field" }) {
                label for=(id) {
                    (self.label)
                    @if self.required { " " abbr title="obligatoire" { "*" } }
                }
                @if let Some(h) = self.hint { p.hint id=(hint_id) { (h) } }
                @if let Some(e) = error { p.error id=(error_id) { (e) } }
                input id=(id) name=(self.name) type=(self.kind) value=(value)
                    required[self.required]
                    autocomplete=[self.autocomplete]
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=[(!described.is_empty()).then(|| described.join(" "))]
                    data-strength=[self.strength.then_some("1")];
                @if self.strength { p.strength aria-live="polite" {} }
            }
        }
    }
}

/// A `<select>` with a label; `options` are (value, label).
pub fn select(
    form: &FormState,
    name: &str,
    label: &str,
    options: &[(String, String)],
    required: bool,
) -> Markup {
    let id = format!("f-{name}");
    let error = form.errors.get(name);
    let current = form.value(name);
    html! {
        div class=(if error.is_some() { "field has-error" } else { "field" }) {
            label for=(id) { (label) @if required { " " abbr title="obligatoire" { "*" } } }
            @if let Some(e) = error { p.error id=(format!("{id}-erreur")) { (e) } }
            select id=(id) name=(name) required[required] aria-invalid=[error.map(|_| "true")] {
                @for (value, text) in options {
                    option value=(value) selected[value == current] { (text) }
                }
            }
        }
    }
}

/// A group of checkboxes sharing a name; `checked` lists the checked values.
pub fn checkboxes(
    form: &FormState,
    name: &str,
    legend: &str,
    options: &[(String, String)],
    checked: &[String],
) -> Markup {
    let error = form.errors.get(name);
    html! {
        fieldset class=(if error.is_some() { "field checks has-error" } else { "field checks" }) {
            legend { (legend) }
            @if let Some(e) = error { p.error { (e) } }
            div.options {
                @for (value, text) in options {
                    @let id = format!("f-{name}-{value}");
                    div.check {
                        input type="checkbox" id=(id) name=(name) value=(value) checked[checked.contains(value)];
                        label for=(id) { (text) }
                    }
                }
            }
        }
    }
}

/// A summary of errors at the top of a form, for screen readers and long forms.
pub fn error_summary(form: &FormState) -> Markup {
    html! {
        @if !form.is_ok() {
            div.flash.error role="alert" {
                @if let (Some(why), 1) = (form.values.get(HELD_BACK), form.errors.len()) {
                    (why)
                } @else if form.errors.len() == 1 {
                    "Le formulaire contient une erreur : corrigez le champ signalé."
                } @else {
                    "Le formulaire contient " (form.errors.len()) " erreurs : corrigez les champs signalés."
                }
            }
        }
    }
}

/// The errors themselves, for a page where they belong to no single field shown.
pub fn error_list(form: &FormState) -> Markup {
    html! {
        @if !form.is_ok() {
            div.flash.error role="alert" {
                @for message in form.errors.values() { p { (message) } }
            }
        }
    }
}

/// Every value of a repeated field (checkboxes) from urlencoded pairs.
pub fn all_values(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// The first value of a field from urlencoded pairs.
pub fn first_value(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// A form sent back with its errors beside the fields: the page again, as 400.
pub fn invalid(page: maud::Markup) -> poem::Response {
    use poem::IntoResponse;
    (poem::http::StatusCode::BAD_REQUEST, page).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_keeps_its_value_and_shows_its_error() {
        let mut f = FormState::with_values([("nom", "<Lou>".to_string())]);
        f.error("nom", "Trop court.");
        let html = Field::text("nom", "Nom")
            .required()
            .render(&f)
            .into_string();
        assert!(html.contains("value=\"&lt;Lou&gt;\""), "{html}");
        assert!(html.contains("Trop court."));
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(html.contains("<label for=\"f-nom\">"));
    }

    #[test]
    fn passwords_are_never_echoed() {
        let f = FormState::with_values([("mdp", "secret".to_string())]);
        let html = Field::text("mdp", "Mot de passe")
            .kind("password")
            .render(&f)
            .into_string();
        assert!(!html.contains("secret"));
    }
}
