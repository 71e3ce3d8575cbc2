//! Publishing over HTTP: news and their audiences, the agenda and its iCalendar feed (read
//! back with an independent parser), blogs with the pupils' drafts, comments, visibility,
//! the public blog without login and the photo-consent guard. The tests are grouped by
//! theme in the submodules.

mod agenda;
mod blog;
mod consent;
mod news;
mod proxy;
