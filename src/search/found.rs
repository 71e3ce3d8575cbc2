//! What a person finds: each record the index names is shown only if the access function
//! of its own page lets this person in, as its service sees them (switched on by the
//! school, opened to them by their classes). A refusal is silent: the record is not shown.

use std::sync::Arc;

use super::Kind;
use crate::agenda::Onlooker;
use crate::app::App;
use crate::auth::visitor::Visitor;
use crate::auth::web::Member;
use crate::blog::access::Reader;
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::school::Service;
use crate::store::keys::Key;
use crate::ui::richtext::plain;

/// One result, as the page shows it.
#[derive(Debug, Clone)]
pub struct Hit {
    pub title: String,
    pub url: String,
    /// Its date (microseconds), shown in French.
    pub at: i64,
    /// Where it lives or who wrote it: « Classe de CE1 », « De Mme Belkacem ».
    pub context: String,
    /// The text the excerpt is cut from.
    pub text: String,
}

/// What the records of one kind ask alike, asked once for the kind: who reads the blogs,
/// the person's access to each space of the médiathèque.
struct Asked<'r> {
    reader: Option<Reader<'r>>,
    spaces: Vec<(crate::media::Space, crate::media::Access)>,
    onlooker: Option<Onlooker>,
}

/// « De Paul Martin », « D'Anne Kervella »: who wrote a result, the « de » elided before a
/// vowel.
pub(super) fn written_by(name: &str) -> String {
    let vowel = name
        .chars()
        .next()
        .map(|c| crate::ui::search::fold(c.encode_utf8(&mut [0; 4])))
        .is_some_and(|f| f.starts_with(['a', 'e', 'i', 'o', 'u', 'y']));
    if vowel {
        format!("D'{name}")
    } else {
        format!("De {name}")
    }
}

/// The person, the school and the instant of one search.
pub struct Finder<'a> {
    pub app: &'a App,
    pub people: Arc<People>,
    pub now: i64,
}

impl Finder<'_> {
    /// The person as `service` sees them, as its gate would (`routing::gates`): `None`
    /// when the school switched it off or every class of theirs keeps it closed to them.
    pub fn member_in(&self, member: &Member, service: Service) -> AppResult<Option<Member>> {
        let school = crate::school::kept(&self.app.store)?;
        if !school.as_ref().as_ref().is_some_and(|s| s.enabled(service)) {
            return Ok(None);
        }
        if !service.per_class() {
            return Ok(Some(member.clone()));
        }
        if member.visitor.closed_services.contains(&service) {
            return Ok(None);
        }
        if self.people.openings.is_empty() {
            return Ok(Some(member.clone()));
        }
        let within = self.people.within(member.actor(), service);
        if within.shut_out {
            return Ok(None);
        }
        let mut me = member.me.clone();
        me.actor = within.actor;
        let mut visitor = Visitor::clone(&member.visitor);
        visitor.signed_in = Some(me.clone());
        Ok(Some(Member {
            visitor: Arc::new(visitor),
            me,
        }))
    }

    /// Of the messages the index names, those the person holds (an entry in their
    /// mailbox), found by one look through their mailbox between the oldest and the newest
    /// named, instead of one read per message (a family holds few of the hundred a large
    /// school names).
    fn held(&self, member: &Member, keys: Vec<Vec<u8>>) -> AppResult<Vec<Vec<u8>>> {
        let ids: Vec<u64> = keys.iter().filter_map(|k| u64::decode(k)).collect();
        let (Some(low), Some(high)) = (ids.iter().min(), ids.iter().max()) else {
            return Ok(keys);
        };
        let me = member.actor().user_id;
        // A mailbox fuller than this between the two: reading each named entry is cheaper.
        let most = 4 * keys.len();
        let held = self.app.store.keys_between(
            &crate::messaging::MAILBOX,
            &(me, *low),
            &(me, *high),
            most,
        )?;
        if held.len() == most {
            return Ok(keys);
        }
        let held: std::collections::BTreeSet<u64> = held.into_iter().map(|(_, id)| id).collect();
        Ok(keys
            .into_iter()
            .filter(|k| u64::decode(k).is_some_and(|id| held.contains(&id)))
            .collect())
    }

    /// The first `most` records of `kind` among `keys` (newest first) that `member` may
    /// see, and whether more were left. What every record of the kind asks the same way
    /// (who reads the blogs) is asked once here.
    pub fn shown(
        &self,
        member: &Member,
        kind: Kind,
        keys: impl Iterator<Item = Vec<u8>>,
        most: usize,
    ) -> AppResult<(Vec<Hit>, bool)> {
        let mut asked = Asked {
            reader: match kind {
                Kind::Article | Kind::Comment => {
                    Reader::of(&self.app.store, &member.visitor, false)?
                }
                _ => None,
            },
            spaces: Vec::new(),
            onlooker: None,
        };
        let mut hits = Vec::new();
        // The others are read one by one, only as far as the page needs.
        let keys: Box<dyn Iterator<Item = Vec<u8>>> = if kind == Kind::Message {
            Box::new(self.held(member, keys.collect())?.into_iter())
        } else {
            Box::new(keys)
        };
        for key in keys {
            if let Some(hit) = self.hit(member, kind, &key, &mut asked)? {
                if hits.len() == most {
                    return Ok((hits, true));
                }
                hits.push(hit);
            }
        }
        Ok((hits, false))
    }

    /// The record of `kind` at `key` as `member` may see it; `None` when they may not.
    fn hit(
        &self,
        member: &Member,
        kind: Kind,
        key: &[u8],
        asked: &mut Asked<'_>,
    ) -> AppResult<Option<Hit>> {
        let reader = asked.reader.as_ref();
        let shown = match kind {
            Kind::Message => self.message(member, key),
            Kind::Mot => self.mot(member, key),
            Kind::News => self.news(member, key),
            Kind::Event => self.event(member, key, asked),
            Kind::Article => self.article(member, key, reader),
            Kind::Comment => self.comment(member, key, reader),
            Kind::TextbookEntry => self.textbook(member, key),
            Kind::Lesson => self.lesson(member, key),
            Kind::Exercise => self.exercise(member, key),
            Kind::MediaItem => self.media(member, key, &mut asked.spaces),
        };
        match shown {
            Ok(hit) => Ok(hit),
            Err(AppError::Forbidden | AppError::NotFound | AppError::Closed) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn name(&self, user: u64) -> String {
        self.people
            .user(user)
            .map(|u| u.display_name())
            .unwrap_or_else(|| "compte supprimé".into())
    }

    fn class_label(&self, class: u64) -> String {
        self.people
            .class(class)
            .map(|c| format!("Classe {}", c.label))
            .unwrap_or_default()
    }

    fn message(&self, member: &Member, key: &[u8]) -> AppResult<Option<Hit>> {
        use crate::messaging::Folder;
        let id = id_of(key)?;
        let Some(held) = crate::messaging::access::entry(&self.app.store, member.actor(), id)?
        else {
            return Ok(None);
        };
        if matches!(held.object().entry.folder, Folder::Trash | Folder::Drafts) {
            return Ok(None);
        }
        let Some(m) = self.app.store.get(&crate::messaging::MESSAGES, &id)? else {
            return Ok(None);
        };
        Ok(Some(Hit {
            title: or_untitled(&m.subject),
            url: format!("/messagerie/{id}"),
            at: m.sent_at.unwrap_or(m.created_at),
            context: written_by(&self.name(m.author)),
            text: plain(&m.body),
        }))
    }

    fn mot(&self, member: &Member, key: &[u8]) -> AppResult<Option<Hit>> {
        let id = id_of(key)?;
        // The mots kept decoded (the carnet's own view): a search goes through many a
        // person may not read, and decoding each was most of a family's search.
        let kept = crate::liaison::kept::mots(&self.app.store)?;
        let Some(m) = kept.get(id) else {
            return Ok(None);
        };
        crate::liaison::access::reading_side(member.actor(), m)?;
        Ok(Some(Hit {
            title: or_untitled(&m.title),
            url: format!("/carnet/{id}"),
            at: m.at,
            context: written_by(&self.name(m.author)),
            text: plain(&m.body),
        }))
    }

    fn news(&self, member: &Member, key: &[u8]) -> AppResult<Option<Hit>> {
        let id = id_of(key)?;
        let (n, _) = crate::news::load(self.app, member, id)?;
        Ok(Some(Hit {
            title: or_untitled(&n.title),
            url: format!("/actualites/{id}"),
            at: n.publish_at,
            context: format!("Par {}", self.name(n.author)),
            text: plain(&n.body),
        }))
    }

    fn event(&self, member: &Member, key: &[u8], asked: &mut Asked<'_>) -> AppResult<Option<Hit>> {
        use crate::agenda::{Calendar, EVENTS};
        let id = id_of(key)?;
        let store = &self.app.store;
        // Who sees it, from its facts alone (kept in memory): of the events the index
        // names, a family sees few.
        let Some(facts) = crate::agenda::event_facts(store, id)? else {
            return Ok(None);
        };
        let onlooker = asked
            .onlooker
            .get_or_insert_with(|| Onlooker::of(&self.people, member.user().id));
        let sees =
            onlooker.sees_facts(&facts) || crate::agenda::routes::may_edit(member, facts.calendar);
        if !sees {
            return Ok(None);
        }
        let Some(e) = store.get(&EVENTS, &id)? else {
            return Ok(None);
        };
        let context = match e.calendar {
            Calendar::School => "Agenda de l'école".to_string(),
            Calendar::Class(c) => self.class_label(c),
            Calendar::Personal(_) => "Mon agenda".to_string(),
        };
        Ok(Some(Hit {
            title: or_untitled(&e.title),
            url: format!("/agenda/{id}"),
            at: e.start,
            context,
            text: format!("{} {}", e.place, e.details),
        }))
    }

    fn article(
        &self,
        member: &Member,
        key: &[u8],
        reader: Option<&Reader<'_>>,
    ) -> AppResult<Option<Hit>> {
        let id = id_of(key)?;
        let Some((a, _, _)) = self.visible_article(member, id, reader)? else {
            return Ok(None);
        };
        Ok(Some(Hit {
            title: or_untitled(&a.title),
            url: format!("/blog/article/{id}"),
            at: a.publish_at,
            context: blog_label(&self.people, a.blog),
            text: plain(&a.body),
        }))
    }

    /// The article as its page shows it, if the person may see it. Asked first of its
    /// facts alone (kept in memory, without the texts): of the articles the index names,
    /// a family sees few, and decoding each whole was most of the search's blog.
    fn visible_article(
        &self,
        member: &Member,
        id: u64,
        reader: Option<&Reader<'_>>,
    ) -> AppResult<Option<(crate::blog::Article, Arc<People>, crate::blog::BlogSettings)>> {
        let store = &self.app.store;
        let Some(facts) = crate::blog::access::article_facts(store, id)? else {
            return Ok(None);
        };
        let settings = crate::blog::settings(store, facts.blog)?;
        let seen = reader.is_some_and(|r| r.may_see_facts(&facts, &settings, self.now));
        if !seen {
            return Ok(None);
        }
        crate::blog::routes::visible_article(self.app, &member.visitor, id).map(Some)
    }

    fn comment(
        &self,
        member: &Member,
        key: &[u8],
        reader: Option<&Reader<'_>>,
    ) -> AppResult<Option<Hit>> {
        let Some((article, n)) = <(u64, u64)>::decode(key) else {
            return Ok(None);
        };
        let Some((a, _, _)) = self.visible_article(member, article, reader)? else {
            return Ok(None);
        };
        let Some(c) = self.app.store.get(&crate::blog::COMMENTS, &(article, n))? else {
            return Ok(None);
        };
        let runner = crate::blog::runs(member.actor(), a.blog);
        if c.pending && !runner && c.author != member.user().id {
            return Ok(None);
        }
        Ok(Some(Hit {
            title: format!("Sur « {} »", a.title),
            url: format!("/blog/article/{article}#commentaire-{}", c.id),
            at: c.at,
            context: written_by(&self.name(c.author)),
            text: c.text,
        }))
    }

    fn textbook(&self, member: &Member, key: &[u8]) -> AppResult<Option<Hit>> {
        let id = id_of(key)?;
        let granted = crate::pedagogy::textbook::access::reader(
            self.app,
            &self.people,
            member,
            id,
            self.now,
        )?;
        let e = granted.object();
        if !e.listed {
            // Online-only work lives in the devoirs, not in the cahier de textes.
            return Ok(None);
        }
        Ok(Some(Hit {
            title: format!("{} — {}", e.subject, or_untitled(&e.title)),
            url: format!("/cahier-de-textes/{id}"),
            at: crate::ui::dates::parse_date(&e.day)
                .map(crate::ui::dates::start_of_day)
                .unwrap_or(e.created_at),
            context: self.class_label(e.class),
            text: plain(&e.body),
        }))
    }

    fn lesson(&self, member: &Member, key: &[u8]) -> AppResult<Option<Hit>> {
        let id = id_of(key)?;
        let granted =
            crate::pedagogy::lessons::access::reader(&self.app.store, &self.people, member, id)?;
        let l = granted.object();
        Ok(Some(Hit {
            title: format!("{} — {}", l.subject, or_untitled(&l.title)),
            url: format!("/classeur/{id}"),
            at: l.created_at,
            context: self.class_label(l.class),
            text: plain(&l.body),
        }))
    }

    fn exercise(&self, member: &Member, key: &[u8]) -> AppResult<Option<Hit>> {
        use crate::pedagogy::exercises::access;
        let id = id_of(key)?;
        let store = &self.app.store;
        // The class's teachers see its results; a pupil does it; a guardian sees it for
        // one child (as the page asks, `?eleve=`).
        let url = if let Ok(g) = access::author(store, member, id) {
            (g.object().clone(), format!("/exercices/{id}/resultats"))
        } else if let Ok(g) = access::viewer(store, &self.people, member, id, None) {
            (g.object().exercise.clone(), format!("/exercices/{id}"))
        } else {
            // Someone who follows a pupil it is for: their own child first.
            let Some(ex) = store.get(&crate::pedagogy::exercises::EXERCISES, &id)? else {
                return Ok(None);
            };
            let pupils = member
                .actor()
                .children
                .iter()
                .copied()
                .chain(crate::pedagogy::pupils(&self.people, ex.class, ex.scope));
            let mut found = None;
            for pupil in pupils {
                if let Ok(g) = access::viewer(store, &self.people, member, id, Some(pupil)) {
                    found = Some((
                        g.object().exercise.clone(),
                        format!("/exercices/{id}?eleve={pupil}"),
                    ));
                    break;
                }
            }
            match found {
                Some(f) => f,
                None => return Ok(None),
            }
        };
        let (ex, url) = url;
        Ok(Some(Hit {
            title: or_untitled(&ex.title),
            url,
            at: ex.created_at,
            context: self.class_label(ex.class),
            text: plain(&ex.instructions),
        }))
    }

    fn media(
        &self,
        member: &Member,
        key: &[u8],
        spaces: &mut Vec<(crate::media::Space, crate::media::Access)>,
    ) -> AppResult<Option<Hit>> {
        let id = id_of(key)?;
        // From the médiathèque's kept items: most items the index names are not the
        // person's to read, and decoding each was the search's whole médiathèque.
        let Some(item) =
            crate::media::kept::readable_item(&self.app.store, member.actor(), id, spaces)?
        else {
            return Ok(None);
        };
        let me = member.user().id;
        let people = &self.people;
        let context = crate::media::space_label(
            item.space,
            me,
            |c| people.class(c).map(|c| c.label.clone()).unwrap_or_default(),
            |g| people.group(g).map(|g| g.label.clone()).unwrap_or_default(),
        );
        Ok(Some(Hit {
            title: item.name.clone(),
            url: format!("/mediatheque/element/{id}"),
            at: item.updated_at,
            context,
            text: match &item.content {
                crate::media::Content::File(f) => f.text.clone(),
                _ => String::new(),
            },
        }))
    }
}

fn id_of(key: &[u8]) -> AppResult<u64> {
    u64::decode(key).ok_or(AppError::NotFound)
}

fn or_untitled(title: &str) -> String {
    if title.trim().is_empty() {
        "(sans titre)".into()
    } else {
        title.to_string()
    }
}

fn blog_label(people: &People, blog: crate::blog::BlogRef) -> String {
    match blog {
        crate::blog::BlogRef::School => "Blog de l'école".into(),
        crate::blog::BlogRef::Class(c) => people
            .class(c)
            .map(|c| format!("Blog de la classe {}", c.label))
            .unwrap_or_else(|| "Blog de classe".into()),
    }
}
