//! Pages of the blogs: pure functions over what the handlers gathered.

use maud::{html, Markup};

use super::{Article, BlogRef, BlogSettings, Comment, CommentMode, Status, Visibility};
use crate::auth::visitor::Visitor;
use crate::directory::people::People;
use crate::ui::form::{Field, FormState};
use crate::ui::{csrf_input, dates, listen, richtext};

/// Whether the visitor is a pupil (addressed as « tu »; adults as « vous »).
pub fn is_pupil(v: &Visitor) -> bool {
    v.signed_in
        .as_ref()
        .is_some_and(|me| me.user.profile == crate::policy::Profile::Eleve)
}

pub fn blog_label(people: &People, b: BlogRef) -> String {
    match b {
        BlogRef::School => "Blog de l'école".into(),
        BlogRef::Class(c) => format!(
            "Blog de la classe {}",
            people.class(c).map(|c| c.label.clone()).unwrap_or_default()
        ),
    }
}

pub fn article_card(people: &People, a: &Article) -> Markup {
    html! {
        article.panel.post {
            h2 { a href=(format!("/blog/article/{}", a.id)) { (a.title) } }
            p.small { "Par " (people.user(a.author).map(|u| u.display_name()).unwrap_or_default()) " — " (dates::long_date(a.publish_at)) }
            @if let Some((i, m)) = a.media.iter().enumerate().find(|(_, m)| m.mime.starts_with("image/")) { img.preview src=(format!("/blog/article/{}/media/{i}", a.id)) alt=(m.name) loading="lazy"; }
            p { (richtext::preview(&a.body, 300)) }
        }
    }
}

/// A blog's page: drafts and proposals for their authors and runners, the articles, the
/// settings for the runners.
pub struct BlogPage<'a> {
    pub blog: BlogRef,
    pub code: &'a str,
    pub settings: &'a BlogSettings,
    pub writer: bool,
    pub runner: bool,
    pub drafts: &'a [Article],
    /// Drafts the photo guard took back from the public blog (shown to the runners).
    pub kept_back: &'a [u64],
    pub visible: &'a [Article],
}

pub fn blog_page(v: &Visitor, people: &People, page: &BlogPage<'_>) -> Markup {
    let BlogPage {
        blog,
        code,
        settings: s,
        writer,
        runner,
        drafts,
        kept_back,
        visible,
    } = *page;
    html! {
        (crate::ui::heading(&blog_label(people, blog), None))
        @if !s.enabled { div.flash.info role="status" { "Ce blog est fermé : seuls ses enseignants le voient." } }
        @if writer { p { a.button.primary.big href=(format!("/blog/{code}/ecrire")) { "Écrire un article" } } }
        @if !drafts.is_empty() {
            section.panel {
                h2 { "Brouillons, propositions, à venir" }
                ul { @for a in drafts.iter() { li {
                    a href=(format!("/blog/article/{}", a.id)) { (a.title) } " — " (people.user(a.author).map(|u| u.display_name()).unwrap_or_default()) " — "
                    @match &a.status { Status::Draft if kept_back.contains(&a.id) => { span.badge.off { "retenu : photos à revoir" } } Status::Draft => { "brouillon" } Status::Submitted => { span.badge { "proposé" } } Status::Returned { .. } => { "renvoyé à l'élève" } Status::Published => { "publié le " (dates::long_datetime(a.publish_at)) } }
                } } }
            }
        }
        @if visible.is_empty() { p.empty { "Aucun article pour le moment." } }
        @for a in visible.iter() { (article_card(people, a)) }
        @if runner {
            section.panel {
                h2 { "Réglages du blog" }
                form method="post" action=(format!("/blog/{code}/reglages")) {
                    (csrf_input(v))
                    @if blog != BlogRef::School {
                        div.check { input #f-enabled type="checkbox" name="enabled" value="1" checked[s.enabled]; label for="f-enabled" { "Blog ouvert" } }
                    } @else { input type="hidden" name="enabled" value="1"; }
                    fieldset.field {
                        legend { "Commentaires" }
                        @for (val, label, m) in [("off", "Pas de commentaires", CommentMode::Off), ("open", "Publiés tout de suite", CommentMode::Open), ("moderated", "Lus par l'enseignant avant publication", CommentMode::Moderated)] {
                            div.check { input type="radio" id=(format!("c-{val}")) name="comments" value=(val) checked[s.comments == m]; label for=(format!("c-{val}")) { (label) } }
                        }
                    }
                    fieldset.field {
                        legend { "Qui peut lire" }
                        @for (val, label, vis) in [("classe", if blog == BlogRef::School { "Toute l'école" } else { "La classe et ses familles" }, Visibility::Class), ("ecole", "Toute l'école", Visibility::School), ("public", "Public, sans connexion, sur le réseau de l'école", Visibility::Public)] {
                            @if !(blog == BlogRef::School && vis == Visibility::Class) {
                                div.check { input type="radio" id=(format!("v-{val}")) name="visibility" value=(val) checked[s.visibility == vis]; label for=(format!("v-{val}")) { (label) } }
                            }
                        }
                    }
                    p.small { "Un article où figure un élève sans autorisation photo n'est jamais montré sans connexion." }
                    button type="submit" { "Enregistrer" }
                }
            }
        }
    }
}

/// An article's page: the article, the actions of its author and runners, the comments.
pub struct ArticlePage<'a> {
    pub article: &'a Article,
    pub settings: &'a BlogSettings,
    pub runner: bool,
    pub can_comment: bool,
    pub me: Option<u64>,
    pub comments: &'a [Comment],
    /// Tagged pupils without a photo authorisation (shown to the runners).
    pub missing: &'a [u64],
    /// Why the photo guard kept the article back from the public blog (to the runners).
    pub kept_back: Option<&'a str>,
    pub now: i64,
}

pub fn article_page(v: &Visitor, people: &People, page: &ArticlePage<'_>) -> Markup {
    let ArticlePage {
        article: a,
        settings: s,
        runner,
        can_comment,
        me,
        comments: all_comments,
        missing,
        kept_back,
        now,
    } = *page;
    let id = a.id;
    html! {
        p.small { a href=(format!("/blog/{}", a.blog.code())) { "← " (blog_label(people, a.blog)) } }
        article.post {
            h1 id=(format!("article-{id}-titre")) { (a.title) }
            p.small { "Par " (people.user(a.author).map(|u| u.display_name()).unwrap_or_default()) " — " (dates::long_datetime(a.publish_at)) }
            @match &a.status {
                Status::Draft => { p { span.badge { "brouillon" } } }
                Status::Submitted => { p { span.badge { "proposé, en attente de l'enseignant" } } }
                Status::Returned { comment, .. } => { div.flash.info role="status" { "Renvoyé par l'enseignant : « " (comment) " »" } }
                Status::Published if a.publish_at > now => { p { span.badge { "publication prévue le " (dates::long_datetime(a.publish_at)) } } }
                Status::Published => {}
            }
            @if !missing.is_empty() {
                div.flash.error role="alert" { "Autorisation photo manquante pour : " (missing.iter().map(|p| people.user(*p).map(|u| u.display_name()).unwrap_or_default()).collect::<Vec<_>>().join(", ")) ". Cet article ne sera jamais montré sans connexion." }
            }
            @if let Some(why) = kept_back {
                div.flash.error role="alert" { "Retenu, pas publié sur le blog public : " (why) "." }
            }
            (listen::button(&format!("article-{id}-titre article-{id}-texte")))
            div.richtext id=(format!("article-{id}-texte")) { (richtext::render(&a.body)) }
            @for (i, m) in a.media.iter().enumerate() {
                @let url = format!("/blog/article/{id}/media/{i}");
                @if m.mime.starts_with("image/") { p { img.preview src=(url) alt=(m.name); } }
                @else if m.mime.starts_with("audio/") { p { audio controls preload="none" src=(url) {} } }
                @else { p { video controls preload="metadata" src=(url) {} } }
            }
        }
        @if let Some(me_id) = me {
            div.actions {
                @if a.author == me_id && matches!(a.status, Status::Draft | Status::Returned { .. }) {
                    a.button href=(format!("/blog/article/{id}/modifier")) { "Modifier" }
                    form method="post" action=(format!("/blog/article/{id}/proposer")) { (csrf_input(v)) button.primary.big type="submit" { "Proposer à l'enseignant" } }
                }
                @if runner {
                    a.button href=(format!("/blog/article/{id}/modifier")) { "Modifier" }
                    @if a.status != Status::Published {
                        form method="post" action=(format!("/blog/article/{id}/publier")) { (csrf_input(v)) button.primary type="submit" { "Publier" } }
                        form.inline method="post" action=(format!("/blog/article/{id}/renvoyer")) {
                            (csrf_input(v))
                            div.field { label for="f-return" { "Renvoyer à l'élève avec un mot" } input #f-return type="text" name="comment" required; }
                            button type="submit" { "Renvoyer" }
                        }
                    }
                }
            }
        }
        @if a.published(now) {
            section.panel.comments {
                h2 { "Commentaires" }
                @if all_comments.is_empty() { p.empty { "Aucun commentaire." } }
                @for c in all_comments.iter() {
                    div.comment id=(format!("commentaire-{}", c.id)) {
                        p { strong { (people.user(c.author).map(|u| u.display_name()).unwrap_or_default()) } " — " span.small { (dates::long_datetime(c.at)) } @if c.pending { " " span.badge { "en attente de l'enseignant" } } }
                        p { (c.text) }
                        @if me.is_some_and(|m| m != c.author) && !c.pending {
                            form.inline method="post" action=(format!("/blog/article/{id}/commentaires/{}/signaler", c.id)) { (csrf_input(v)) button.link type="submit" { "Signaler ce commentaire" } }
                        }
                        @if runner {
                            div.actions {
                                @if c.pending { form method="post" action=(format!("/blog/article/{id}/commentaires/{}/valider", c.id)) { (csrf_input(v)) button type="submit" { "Publier le commentaire" } } }
                                form method="post" action=(format!("/blog/article/{id}/commentaires/{}/supprimer", c.id)) { (csrf_input(v)) button.link type="submit" { "Supprimer" } }
                            }
                        }
                    }
                }
                @if can_comment {
                    form method="post" action=(format!("/blog/article/{id}/commenter")) {
                        (csrf_input(v))
                        div.field { label for="f-comment" { "Mon commentaire" } textarea #f-comment name="text" rows="3" maxlength="2000" {} }
                        @if s.comments == CommentMode::Moderated {
                            // Tutoiement for pupils only; adults are addressed as « vous ».
                            @if is_pupil(v) { p.small { "L'enseignant lira ton commentaire avant de le publier." } }
                            @else { p.small { "L'enseignant lira votre commentaire avant de le publier." } }
                        }
                        button.primary type="submit" { "Commenter" }
                    }
                }
            }
            @if me.is_some_and(|m| m != a.author) {
                details.report {
                    summary { "Signaler cet article à la direction" }
                    form method="post" action=(format!("/blog/article/{id}/signaler")) {
                        (csrf_input(v))
                        div.field { label for="f-reason" { "Pourquoi ? (facultatif)" } textarea #f-reason name="motif" rows="2" {} }
                        button type="submit" { "Signaler" }
                    }
                }
            }
        }
    }
}

/// The big-button editor of an article (new when `a` is `None`).
pub struct Editor<'a> {
    pub blog: BlogRef,
    pub action: &'a str,
    pub runner: bool,
    pub pupils: &'a [u64],
    pub picker: Option<Markup>,
}

pub fn editor(
    member: &Visitor,
    people: &People,
    ed: Editor<'_>,
    form: &FormState,
    a: Option<&Article>,
) -> Markup {
    let Editor {
        blog,
        action,
        runner,
        pupils,
        picker,
    } = ed;
    let tagged: Vec<String> = form
        .value("tags")
        .split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    html! {
        (crate::ui::heading(if a.is_some() { "Modifier l'article" } else { "Écrire un article" }, Some(&blog_label(people, blog))))
        @if let Some(Article { status: Status::Returned { comment, .. }, .. }) = a { div.flash.info role="status" { "Message de l'enseignant : « " (comment) " »" } }
        section.panel.kid-editor {
            (crate::ui::form::error_summary(form))
            form method="post" action=(action) enctype="multipart/form-data" novalidate {
                (csrf_input(member))
                (Field::text("title", "Titre").required().render(form))
                div.field.has-error[form.errors.contains_key("body")] {
                    label for="f-body" { "Mon article" abbr title="obligatoire" { " *" } }
                    @if let Some(e) = form.errors.get("body") { p.error { (e) } }
                    textarea #f-body name="body" rows="10" { (form.value("body")) }
                }
                @if let Some(a) = a {
                    @if !a.media.is_empty() {
                        fieldset.field {
                            legend { "Images, sons et vidéos déjà là" }
                            @for (i, m) in a.media.iter().enumerate() {
                                div.check { input type="checkbox" id=(format!("keep-{i}")) name="garder" value=(i) checked; label for=(format!("keep-{i}")) { (m.name) } }
                            }
                        }
                    }
                }
                div.field.has-error[form.errors.contains_key("files")] {
                    label for="f-files" { "Ajouter des images, des sons, des vidéos" }
                    @if let Some(e) = form.errors.get("files") { p.error { (e) } }
                    input #f-files type="file" name="files" multiple accept="image/*,audio/*,video/*";
                }
                @if let Some(p) = picker { (p) }
                @if !pupils.is_empty() {
                    fieldset.field {
                        legend { @if runner { "Élèves qu'on reconnaît sur les photos" } @else { "Qui est sur les photos ?" } }
                        @if !runner { p.small { "Coche les camarades qu'on reconnaît. Seul l'enseignant peut enlever une coche." } }
                        div.options {
                            @for p in pupils.iter() {
                                @let kept = a.is_some_and(|a| a.tagged.contains(p));
                                div.check { input type="checkbox" id=(format!("tag-{p}")) name="tag" value=(p) checked[tagged.contains(&p.to_string()) || kept] disabled[!runner && kept]; label for=(format!("tag-{p}")) { (people.user(*p).map(|u| u.display_name()).unwrap_or_default()) } }
                            }
                        }
                    }
                }
                div.actions {
                    @if runner {
                        (Field::text("publish_at", "Publier le (facultatif)").kind("date").render(form))
                        button.primary.big type="submit" name="action" value="publier" { "Publier" }
                    } @else {
                        button.primary.big type="submit" name="action" value="proposer" { "Proposer à l'enseignant" }
                    }
                    button.big type="submit" name="action" value="brouillon" { "Garder en brouillon" }
                }
            }
        }
    }
}

/// The photo guard's confirmation step before an article with pictures is published on
/// a public blog: the pictures, the named list of the pupils without authorisation, and a
/// box to tick (a plain form: no script needed).
pub fn confirm_page(
    v: &Visitor,
    people: &People,
    a: &Article,
    absent: &[u64],
    again: bool,
) -> Markup {
    let id = a.id;
    // Asked again of a published article (the year's memory): it stays published.
    let published = a.status == Status::Published;
    html! {
        p.small { a href=(format!("/blog/article/{id}")) { "← " (a.title) } }
        (crate::ui::heading(if published { "Vérifier les photos" } else { "Vérifier les photos avant de publier" }, Some(&blog_label(people, a.blog))))
        section.panel {
            p { "Les photos et vidéos de « " (a.title) " » ne quittent la classe (un blog lu sans connexion sur le réseau de l'école, la mémoire de l'année) que si aucun de ces élèves, qui n'ont pas d'autorisation photo enregistrée, n'y apparaît :" }
            ul.absent { @for p in absent { li { strong { (people.user(*p).map(|u| u.display_name()).unwrap_or_default()) } } } }
            div.thumbs {
                @for (i, m) in a.media.iter().enumerate() {
                    @if m.mime.starts_with("image/") { img.preview src=(format!("/blog/article/{id}/media/{i}")) alt=(m.name) loading="lazy"; }
                    @else if m.mime.starts_with("video/") { p { "Vidéo : " (m.name) } }
                }
            }
            form method="post" action=(format!("/blog/article/{id}/publier")) {
                (csrf_input(v))
                @for p in absent { input type="hidden" name="absent" value=(p); }
                div.field.has-error[again] {
                    @if again { p.error { "Cochez la case pour confirmer, ou modifiez l'article." } }
                    div.check {
                        input #f-confirme type="checkbox" name="confirme" value="1" required;
                        label for="f-confirme" { "Je confirme qu'aucun de ces élèves n'apparaît sur les photos ni les vidéos de cet article." }
                    }
                }
                div.actions {
                    button.primary type="submit" { @if published { "Confirmer" } @else { "Confirmer et publier" } }
                    a.button href=(format!("/blog/article/{id}/modifier")) { "Modifier l'article (retirer une photo, identifier un élève)" }
                }
            }
            @if published {
                p.small { "L'article reste publié dans la classe ; tant que vous n'avez pas confirmé, ses photos et vidéos ne la quittent pas." }
            } @else {
                p.small { "Tant que vous n'avez pas confirmé, l'article reste où il était (brouillon ou proposition), avec ses photos et ses identifications." }
            }
        }
    }
}
